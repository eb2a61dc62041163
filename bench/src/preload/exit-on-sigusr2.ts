// Loaded (--import) only into a server profiled with --cpu-prof: the profile is written on a normal
// exit, which a signal that Nest re-raises after its shutdown hooks is not.
process.on('SIGUSR2', () => process.exit(0));
