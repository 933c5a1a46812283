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

# Callback parameters that receive an object outliving the event (SPEC §1 *Roles*: borrowed):
# event name -> (parameter index, what it is). A client request's ``'socket'`` hands over a
# socket an ``http.Agent`` keeps alive and reuses for later requests.
BORROWED_EVENT_ARGUMENTS: dict[str, tuple[int, str]] = {
    "socket": (0, "a client request's socket, which a keep-alive agent reuses for many requests"),
}

# Memoizers that keep one cache entry per distinct argument: module -> export -> the option
# that bounds the cache ("" when nothing can bound it). Results of these are collections.
MEMOIZERS: dict[str, dict[str, str]] = {
    "memoizee": {"": "max", "default": "max"},
    "lodash": {"memoize": ""},
    "lodash.memoize": {"": "", "default": ""},
    "lodash/memoize": {"": "", "default": ""},
    "lodash-es": {"memoize": ""},
    "fast-memoize": {"": "", "default": ""},
    "micro-memoize": {"": "maxSize", "default": "maxSize"},
}

# Methods that register a callback a framework runs per request or message (beyond the
# Node and Express vocabulary in ``repetition.REGISTRATION_METHODS``): Elysia's lifecycle
# hooks, Hono/h3 handlers.
FRAMEWORK_HOOK_REGISTRATIONS = frozenset(
    {
        "onBeforeHandle",
        "onAfterHandle",
        "onTransform",
        "onParse",
        "onAfterResponse",
        "derive",
        "mapResponse",
        "onMessage",
    }
)
