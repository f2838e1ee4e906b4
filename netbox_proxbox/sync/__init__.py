"""
Running syncs from NetBox: start and cancel them (`runs`), the request sent to proxbox-api
(`payload`) and its client (`client`), the run's events through Redis (`streams`, `recorder`,
`sse`), liveness and locking (`liveness`), schedules (`schedule`), health (`status`) and the
problems a person can fix (`problems`). Views, the REST API and the jobs are thin layers on these.
"""
