const { logTicks } = require('../src/metrics');

for (let i = 0; i < 3; i++) {
  logTicks(console);
}
