const express = require('express');
const { getRow } = require('../lib/statements');
const { labelFor } = require('../lib/labels');
const formats = require('../lib/formats');
const tags = require('../lib/tags');

const DATE = 'YYYY-MM-DD';
const app = express();

app.get('/user/:id', (req, res) => {
  res.send(getRow('SELECT * FROM users WHERE id = ?', [req.params.id]));
});

app.get('/notes', (req, res) => {
  res.send(getRow('SELECT * FROM notes', []) + labelFor('notes'));
});

app.get('/label', (req, res) => {
  res.send(labelFor(req.query.text));
});

app.get('/format/:name', (req, res) => {
  formats.register('date', DATE);
  res.send(formats.lookup(req.params.name));
});

app.get('/tag', (req, res) => {
  res.send(String(tags.tag(req.query.name)));
});

for (const unit of ['ms', 's']) {
  formats.register(unit, unit);
}

app.listen(3000);
