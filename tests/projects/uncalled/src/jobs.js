// A factory's map of jobs: only `clearJobs` empties it, and only the tests call it.
function createJobBoard() {
  const jobs = new Map();

  async function runJob(job) {
    jobs.set(job.id, job);
    await job.done;
  }

  function dispatch(job) {
    return runJob(job);
  }

  function clearJobs() {
    jobs.clear();
  }

  return { dispatch, clearJobs, get size() { return jobs.size; } };
}

// The same factory whose `forget` the server calls when a job ends: quiet.
function createTaskBoard() {
  const tasks = new Map();

  function dispatch(task) {
    tasks.set(task.id, task);
  }

  function forget(id) {
    tasks.delete(id);
  }

  return { dispatch, forget };
}

module.exports = { createJobBoard, createTaskBoard };
