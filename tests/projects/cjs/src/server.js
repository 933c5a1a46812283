const express = require('express');
const { logTicks } = require('./metrics');
const mount = require('./routes/feed');

const app = express();
logTicks(console);
mount(app);
app.listen(3000);
