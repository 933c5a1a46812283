const metrics = require('../metrics');

module.exports = function mount(router) {
  router.get('/feed', (req, res) => {
    metrics.attachMetrics(res);
  });
};
