"""HTTP routers, their dependencies and the problem+json error format."""
