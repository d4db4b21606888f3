// Preloaded into every start-up sample (`node --require`): writes the process's own CPU time
// (user + system, ms) to fd 3 at exit, so that the bench can report CPU beside wall time.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  require('node:fs').writeSync(3, `${(user + system) / 1000}\n`);
});
