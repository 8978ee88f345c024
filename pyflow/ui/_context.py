"""What every request handler of one UI server shares: SWF, the caches, templates, the token."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .._client import Client
from .._decider._events import attributes
from .._payloads import PayloadStore
from .._workflow._catalog import reachable_workflows
from .._workflow._definition import Workflow
from ._cache import HistoryCache
from ._execution import compact_text, payload_text
from ._security import new_token

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import HistoryEventTypeDef

HERE = Path(__file__).parent


def execution_url(
    domain: str, workflow_id: str, run_id: str | None = None, part: str = "executions"
) -> str:
    """The page of a run (its latest run without `run_id`): a link that can be shared.

    The run id comes last because it may hold '/' (SWF's run ids are base64); `part` names
    what of the run is asked for: the page, its live fragment or an action."""
    url = f"/domains/{quote(domain, safe='')}/{part}/{quote(workflow_id, safe='')}"
    return url if run_id is None else f"{url}/{quote(run_id, safe='/')}"


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        # Everything from SWF is text: autoescaping keeps ids and payloads from becoming markup.
        autoescape=select_autoescape(["html", "svg"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["execution_url"] = execution_url
    env.filters["payload"] = payload_text
    env.filters["compact"] = compact_text
    env.filters["quote"] = lambda text: quote(str(text), safe="")
    return env


@dataclass
class Ui:
    swf: SWFClient
    domain: str
    """The domain `/` opens."""
    definitions: dict[tuple[str, str], Workflow] = field(default_factory=dict)
    payloads: PayloadStore | None = None
    """Where offloaded payloads are read from to show them, and large inputs written to."""
    token: str = field(default_factory=new_token)
    templates: Environment = field(default_factory=_templates)
    cache: HistoryCache = field(init=False)

    def __post_init__(self) -> None:
        self.cache = HistoryCache(self.swf)
        self.templates.filters["payload"] = lambda value: payload_text(value, self.payloads)

    @classmethod
    def create(
        cls,
        swf: SWFClient,
        domain: str,
        workflows: Iterable[Workflow] = (),
        payloads: PayloadStore | None = None,
    ) -> Ui:
        definitions = {(w.name, w.version): w for w in reachable_workflows(list(workflows))}
        return cls(swf, domain, definitions, payloads)

    def definition_of(self, events: Sequence[HistoryEventTypeDef]) -> Workflow | None:
        """The definition of the execution whose history this is, if it was given."""
        started = attributes(events[0]) if events else {}
        wf_type = started.get("workflowType") or {}
        return self.definitions.get((str(wf_type.get("name")), str(wf_type.get("version"))))

    def client(self, domain: str) -> Client:
        return Client(self.swf, domain=domain, payload_store=self.payloads)

    def render(self, request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(
            request=request, csrf=self.token, **values
        )
        return HTMLResponse(html, status_code=status)


def ui_of(request: Request) -> Ui:
    ui: Ui = request.app.state.ui
    return ui
