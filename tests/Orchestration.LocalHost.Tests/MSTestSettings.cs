// Engine tests are I/O bound (Azurite, gRPC); a few at a time keeps the 2-core box busy without starving Azurite.
[assembly: Parallelize(Workers = 4, Scope = ExecutionScope.MethodLevel)]
