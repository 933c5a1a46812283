"""Node and framework vocabulary that more than one part of the model reads.

Data, not code: what the common frameworks guarantee about how often a method runs.
"""

from __future__ import annotations

# Lifecycle hooks a framework calls once per instance (NestJS providers, Angular and Vue
# components, React class components, Fastify/Egg plugins' init): a timer or listener set
# up there runs once per instance, not once per call.
ONCE_PER_INSTANCE_HOOKS = frozenset(
    {
        "onModuleInit",
        "onApplicationBootstrap",
        "ngOnInit",
        "ngAfterViewInit",
        "componentDidMount",
        "mounted",
        "created",
        "beforeMount",
        "didReady",
        "willReady",
        "configWillLoad",
        "configDidLoad",
        "serverDidReady",
    }
)
