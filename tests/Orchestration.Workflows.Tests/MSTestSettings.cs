// Pure unit tests: no shared state, so every method may run in parallel.
[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]
