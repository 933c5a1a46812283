// Adds a listener to whatever it is given: a leak only when the target outlives the call.
function watch(target, res) {
  target.on('change', () => res.write('changed\n'));
}

function follow(target, res) {
  target.on('data', (chunk) => res.write(chunk));
}

module.exports = { watch, follow };
