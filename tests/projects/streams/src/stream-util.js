// A helper of the project that makes an in-memory Node stream.
const { Transform } = require('node:stream');

const mapStream = (f) =>
  new Transform({
    objectMode: true,
    transform(row, _enc, done) {
      done(null, f(row));
    },
  });

function describe(row) {
  return JSON.stringify(row);
}

module.exports = { mapStream, describe };
