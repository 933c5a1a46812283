// The query stream is piped into the helper's transform, and only the transform is handed
// back: a caller that destroys it (its pipeline into a response that closed) cannot reach
// the query, which keeps its database connection.
const { mapStream, describe } = require('./stream-util');

function exportRows(query) {
  return query.pipe(mapStream(describe));
}

function exportLabels(labels) {
  return labels.pipe(describe);
}

module.exports = { exportRows, exportLabels };
