exports.watch = function watch(res) {
  process.on('SIGUSR2', () => res.end('reloading'));
};
