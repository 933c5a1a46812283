// A cache of prepared statements keyed by the SQL text: every caller in the project
// passes a literal, so the cache holds one entry per statement in the code.
const statementCache = {};

function prepare(sql) {
  return { sql, at: process.hrtime() };
}

function stmt(sql) {
  if (!(sql in statementCache)) {
    statementCache[sql] = prepare(sql);
  }
  return statementCache[sql];
}

function getRow(query, params) {
  return stmt(query).sql + params.length;
}

module.exports = { getRow };
