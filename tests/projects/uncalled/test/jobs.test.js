const { createJobBoard } = require('../src/jobs');

const board = createJobBoard();
board.dispatch({ id: 1, done: Promise.resolve() });
board.clearJobs();
