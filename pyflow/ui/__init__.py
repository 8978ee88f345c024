"""The web UI (the optional `ui` extra): executions, their DAG and history, and actions on them.

`create_app(swf, domain=...)` gives a Starlette application against any boto3 SWF client;
`pyflow ui` and `pyflow local serve --ui` serve it with uvicorn on the loopback interface.
"""

from ._app import create_app

__all__ = ["create_app"]
