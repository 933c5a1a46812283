const Db = require('./db');
const { SharedDb } = require('./shared-db');

async function aclCheck(dsName, user) {
  const db = new Db();
  const config = await db.find(dsName, { _id: 'aclConfig' });
  if (!config.length) {
    return true;
  }
  return config[0].acl.includes(user);
}

async function aclCheckClosed(dsName, user) {
  const db = new Db();
  try {
    const config = await db.find(dsName, { _id: 'aclConfig' });
    return !config.length || config[0].acl.includes(user);
  } finally {
    await db.destroy();
  }
}

async function aclCheckEarlyReturn(dsName, user) {
  const db = new Db();
  let config;
  try {
    config = await db.find(dsName, { _id: 'aclConfig' });
  } catch (e) {
    await db.destroy();
    return false;
  }
  if (!config.length) {
    return true;
  }
  await db.destroy();
  return config[0].acl.includes(user);
}

async function aclCheckShared(dsName, user) {
  const db = new SharedDb();
  const config = await db.find(dsName, { _id: 'aclConfig' });
  return !config.length || config[0].acl.includes(user);
}

module.exports = { aclCheck, aclCheckClosed, aclCheckEarlyReturn, aclCheckShared };
