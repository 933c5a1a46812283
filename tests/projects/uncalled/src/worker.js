const { createJobBoard, createTaskBoard } = require('./jobs');

function start(queue) {
  const board = createJobBoard();
  const tasks = createTaskBoard();
  queue.on('job', (job) => board.dispatch(job));
  queue.on('task', (task) => {
    tasks.dispatch(task);
    task.once('done', () => tasks.forget(task.id));
  });
}

start(require('./queue'));
