const express = require('express');
const tokens = require('./tokens');
const { Scratch } = require('./scratch');

const app = express();
app.post('/login', (req, res) => {
  const scratch = new Scratch();
  scratch.note(req.body.user);
  res.json({ token: tokens.issue(req.body.user) });
});
app.listen(3000);
