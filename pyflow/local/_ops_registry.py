"""Domains and workflow/activity types: register, describe, list, deprecate, delete."""

from __future__ import annotations

from ._core import Core, clean
from ._faults import SWFFault, not_permitted, unknown
from ._model import JSON, Domain, TypeRec
from ._ops import operation
from ._paging import page

_ACCOUNT = "123456789012"
_REGION = "us-east-1"
MAX_DOMAINS = 100
WRITES = frozenset({
    "RegisterDomain", "DeprecateDomain", "UndeprecateDomain", "TagResource", "UntagResource",
    *(f"{verb}{kind}Type" for verb in ("Register", "Deprecate", "Undeprecate", "Delete")
      for kind in ("Workflow", "Activity")),
})
"""The operations that change domains or types, which the durable engine then rewrites."""

_KINDS = {
    "Workflow": ("workflowType", "workflow_types",
                 ("defaultTaskStartToCloseTimeout", "defaultExecutionStartToCloseTimeout",
                  "defaultTaskList", "defaultTaskPriority", "defaultChildPolicy",
                  "defaultLambdaRole")),
    "Activity": ("activityType", "activity_types",
                 ("defaultTaskStartToCloseTimeout", "defaultTaskHeartbeatTimeout",
                  "defaultTaskList", "defaultTaskPriority", "defaultTaskScheduleToStartTimeout",
                  "defaultTaskScheduleToCloseTimeout")),
}


def _domain_info(dom: Domain) -> JSON:
    return clean({"name": dom.name, "status": dom.status, "description": dom.description,
                  "arn": dom.arn})


@operation("RegisterDomain")
def register_domain(core: Core, p: JSON) -> JSON:
    name = p["name"]
    if name in core.domains:
        raise SWFFault("DomainAlreadyExistsFault", name)
    if len(core.domains) >= MAX_DOMAINS:
        raise SWFFault("LimitExceededFault", f"At most {MAX_DOMAINS} domains may be registered")
    if len(p.get("tags") or []) > 50:
        raise SWFFault("TooManyTagsFault", "A domain may have at most 50 tags")
    retention = p["workflowExecutionRetentionPeriodInDays"]
    if retention != "NONE" and (not retention.isdigit() or int(retention) > 90):
        raise SWFFault("ValidationException", "workflowExecutionRetentionPeriodInDays must be "
                       "NONE or a whole number of days from 0 to 90")
    arn = f"arn:aws:swf:{_REGION}:{_ACCOUNT}:/domain/{name}"
    core.domains[name] = Domain(name=name, description=p.get("description"),
                                retention=retention, arn=arn, tags=list(p.get("tags") or []))
    return {}


@operation("DescribeDomain")
def describe_domain(core: Core, p: JSON) -> JSON:
    dom = core.domain(p["name"])
    return {"domainInfo": _domain_info(dom),
            "configuration": {"workflowExecutionRetentionPeriodInDays": dom.retention}}


@operation("ListDomains")
def list_domains(core: Core, p: JSON) -> JSON:
    doms = sorted((d for d in core.domains.values() if d.status == p["registrationStatus"]),
                  key=lambda d: d.name)
    chunk, token = page(doms, p, "domains:" + p["registrationStatus"])
    return clean({"domainInfos": [_domain_info(d) for d in chunk], "nextPageToken": token})


@operation("DeprecateDomain")
def deprecate_domain(core: Core, p: JSON) -> JSON:
    dom = core.domain(p["name"])
    if dom.status == "DEPRECATED":
        raise SWFFault("DomainDeprecatedFault", dom.name)
    dom.status = "DEPRECATED"
    for rec in [*dom.workflow_types.values(), *dom.activity_types.values()]:
        if rec.status == "REGISTERED":
            rec.status, rec.deprecation = "DEPRECATED", core.now()
    return {}


@operation("UndeprecateDomain")
def undeprecate_domain(core: Core, p: JSON) -> JSON:
    dom = core.domain(p["name"])
    if dom.status == "REGISTERED":
        raise SWFFault("DomainAlreadyExistsFault", dom.name)
    dom.status = "REGISTERED"
    return {}


def _types(core: Core, kind: str, domain: str) -> dict[tuple[str, str], TypeRec]:
    types: dict[tuple[str, str], TypeRec] = getattr(core.domain(domain), _KINDS[kind][1])
    return types


def _check_registrable(core: Core, kind: str, domain: str) -> None:
    """A deprecated domain cannot register new types (DeprecateDomain's documentation). Of
    the faults the model lists for Register*Type, OperationNotPermittedFault is the one
    StartWorkflowExecution already gives for a deprecated domain, so both agree."""
    if core.domain(domain).status == "DEPRECATED":
        raise not_permitted(f"Domain {domain} is deprecated: it cannot be used to register "
                            f"new {kind.lower()} types")


def _find(core: Core, kind: str, p: JSON) -> TypeRec:
    ref = p[_KINDS[kind][0]]
    rec = _types(core, kind, p["domain"]).get((ref["name"], ref["version"]))
    if rec is None:
        raise unknown(f"Unknown type: {kind}Type=[name={ref['name']}, version={ref['version']}]")
    return rec


def _type_info(kind: str, rec: TypeRec) -> JSON:
    return clean({_KINDS[kind][0]: {"name": rec.name, "version": rec.version},
                  "status": rec.status, "description": rec.description,
                  "creationDate": rec.creation, "deprecationDate": rec.deprecation})


def _register(kind: str) -> None:
    @operation(f"Register{kind}Type")
    def register(core: Core, p: JSON) -> JSON:
        _check_registrable(core, kind, p["domain"])
        types = _types(core, kind, p["domain"])
        key = (p["name"], p["version"])
        if key in types:
            raise SWFFault("TypeAlreadyExistsFault",
                           f"{kind}Type=[name={key[0]}, version={key[1]}]")
        if len(types) >= 10_000:
            raise SWFFault("LimitExceededFault", f"At most 10000 {kind.lower()} types")
        config = clean({k: p.get(k) for k in _KINDS[kind][2]})
        types[key] = TypeRec(name=key[0], version=key[1], description=p.get("description"),
                             config=config, creation=core.now())
        return {}

    @operation(f"Describe{kind}Type")
    def describe(core: Core, p: JSON) -> JSON:
        rec = _find(core, kind, p)
        return {"typeInfo": _type_info(kind, rec), "configuration": dict(rec.config)}

    @operation(f"List{kind}Types")
    def list_types(core: Core, p: JSON) -> JSON:
        status, name = p["registrationStatus"], p.get("name")
        recs = sorted((r for r in _types(core, kind, p["domain"]).values()
                       if r.status == status and (name is None or r.name == name)),
                      key=lambda r: (r.name, r.version))
        chunk, token = page(recs, p, f"{kind}:{p['domain']}:{status}:{name}")
        return clean({"typeInfos": [_type_info(kind, r) for r in chunk], "nextPageToken": token})

    @operation(f"Deprecate{kind}Type")
    def deprecate(core: Core, p: JSON) -> JSON:
        rec = _find(core, kind, p)
        if rec.status == "DEPRECATED":
            raise SWFFault("TypeDeprecatedFault", f"{kind}Type=[name={rec.name}, "
                           f"version={rec.version}]")
        rec.status, rec.deprecation = "DEPRECATED", core.now()
        return {}

    @operation(f"Undeprecate{kind}Type")
    def undeprecate(core: Core, p: JSON) -> JSON:
        rec = _find(core, kind, p)
        if rec.status == "REGISTERED":
            raise SWFFault("TypeAlreadyExistsFault", f"{kind}Type=[name={rec.name}, "
                           f"version={rec.version}]")
        rec.status, rec.deprecation = "REGISTERED", None
        return {}

    @operation(f"Delete{kind}Type")
    def delete(core: Core, p: JSON) -> JSON:
        rec = _find(core, kind, p)
        if rec.status != "DEPRECATED":
            raise SWFFault("TypeNotDeprecatedFault", f"{kind}Type=[name={rec.name}, "
                           f"version={rec.version}] must be deprecated before deletion")
        del _types(core, kind, p["domain"])[(rec.name, rec.version)]
        return {}


_register("Workflow")
_register("Activity")


def _domain_by_arn(core: Core, arn: str) -> Domain:
    dom = next((d for d in core.domains.values() if d.arn == arn), None)
    if dom is None:
        raise unknown(f"Unknown resource: {arn} (only domains can be tagged)")
    return dom


@operation("TagResource")
def tag_resource(core: Core, p: JSON) -> JSON:
    dom = _domain_by_arn(core, p["resourceArn"])
    merged = {t["key"]: t for t in dom.tags}
    merged.update({t["key"]: t for t in p["tags"]})
    if len(merged) > 50:
        raise SWFFault("TooManyTagsFault", "A domain may have at most 50 tags")
    dom.tags = list(merged.values())
    return {}


@operation("UntagResource")
def untag_resource(core: Core, p: JSON) -> JSON:
    dom = _domain_by_arn(core, p["resourceArn"])
    dom.tags = [t for t in dom.tags if t["key"] not in set(p["tagKeys"])]
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(core: Core, p: JSON) -> JSON:
    return {"tags": list(_domain_by_arn(core, p["resourceArn"]).tags)}
