"""X's API definition as the sandbox's contract for requests.

The sandbox reads the definition it ships (x_openapi.json, trimmed from X's published one by
scripts/trim_definition.py) and checks every request to the paths it serves against it, as X
does: path and query parameters (names, enums, patterns, limits, list sizes; an unknown
parameter is an error too) and JSON bodies (schema, types, no properties the schema does not
name, the JSON content type). What breaks it gets X's 400 "Invalid Request", whose errors name
the parameter and the value. No field name or limit is copied by hand into this module.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DEFINITION = Path(__file__).with_name("x_openapi.json")


def older_name(name: str) -> str:
    """X's newer definitions say "post" where this one says "tweet" (`post.fields`,
    `referenced_posts.id`, `pinned_post_id`), and X's own SDK (xdk 0.10) sends those names;
    X answers both. The sandbox reads a newer name as the one this definition has."""
    return name.replace("posts", "tweets").replace("post", "tweet")


@dataclass(frozen=True)
class Violation:
    """One thing wrong with a request: what X puts in an Invalid Request's `errors`."""

    parameter: str
    value: str
    message: str

    def as_error(self) -> dict[str, Any]:
        if not self.parameter:
            return {"message": self.message}
        return {"parameters": {self.parameter: [self.value]}, "message": self.message}


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    """"path" or "query"."""
    required: bool
    schema: dict[str, Any]


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    parameters: tuple[Parameter, ...]
    body: dict[str, Any] | None
    """The JSON body's schema, for operations that take one."""
    security: frozenset[str]
    """The security schemes the operation accepts (BearerToken is app-only)."""

    @property
    def segments(self) -> list[str]:
        return self.template.strip("/").split("/")

    @property
    def app_only_allowed(self) -> bool:
        return "BearerToken" in self.security


class Contract:
    def __init__(self, definition: dict[str, Any]) -> None:
        self.definition = definition
        self.operations: list[Operation] = []
        for template, item in definition["paths"].items():
            for method, op in item.items():
                params = tuple(self._parameter(p) for p in op.get("parameters", []))
                body = None
                content = op.get("requestBody", {}).get("content", {})
                if "application/json" in content:
                    body = content["application/json"]["schema"]
                security = frozenset(name for req in op.get("security", []) for name in req)
                self.operations.append(Operation(method.upper(), template, params, body, security))
        # literal segments win over {parameters}: /2/users/me before /2/users/{id}
        self.operations.sort(key=lambda o: [s.startswith("{") for s in o.segments])

    def _parameter(self, raw: dict[str, Any]) -> Parameter:
        p = self.resolve(raw)
        return Parameter(p["name"], p["in"], bool(p.get("required")), self.resolve(p["schema"]))

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.definition
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for this request and its path parameters, or None (not X's path)."""
        seg = path.strip("/").split("/")
        for op in self.operations:
            if op.method != method or len(op.segments) != len(seg):
                continue
            values: dict[str, str] = {}
            for want, got in zip(op.segments, seg, strict=True):
                if want.startswith("{"):
                    values[want[1:-1]] = got
                elif want != got:
                    break
            else:
                return op, values
        return None

    def check(
        self,
        op: Operation,
        path_values: dict[str, str],
        query: list[tuple[str, str]],
        content_type: str,
        body: bytes,
    ) -> list[Violation]:
        """Everything X's definition says is wrong with this request (empty when none)."""
        out: list[Violation] = []
        known = {p.name: p for p in op.parameters if p.where == "query"}
        query = canonical(query)
        seen: set[str] = set()
        for name, value in query:
            if name not in known:
                allowed = ",".join(sorted(known))
                out.append(
                    Violation(
                        name, value, f"The query parameter [{name}] is not one of [{allowed}]"
                    )
                )
            elif name in seen:
                out.append(
                    Violation(name, value, f"The `{name}` query parameter may only be given once")
                )
            seen.add(name)
        given = dict(query)
        for p in op.parameters:
            found = path_values.get(p.name) if p.where == "path" else given.get(p.name)
            if found is None:
                if p.required:
                    out.append(
                        Violation(p.name, "", f"The `{p.name}` {p.where} parameter is missing")
                    )
                continue
            out.extend(self._check_parameter(p, found))
        if op.body is not None:
            out.extend(self._check_body(op.body, content_type, body))
        elif body.strip():
            out.append(Violation("", "", "This endpoint takes no request body"))
        return out

    def _check_parameter(self, p: Parameter, value: str) -> list[Violation]:
        where = f"The `{p.name}` {p.where} parameter value"
        schema = p.schema
        if schema.get("type") == "array":
            items = value.split(",")
            out = []
            lo, hi = schema.get("minItems"), schema.get("maxItems")
            if (lo is not None and len(items) < lo) or (hi is not None and len(items) > hi):
                out.append(
                    Violation(p.name, value, f"{where} [{value}] must have {lo} to {hi} items")
                )
            if schema.get("uniqueItems") and len(set(items)) != len(items):
                out.append(Violation(p.name, value, f"{where} [{value}] has duplicate items"))
            item_schema = self.resolve(schema.get("items", {}))
            for item in items:
                problem = _scalar_problem(item_schema, item)
                if problem:
                    out.append(Violation(p.name, item, f"{where} [{item}] {problem}"))
            return out
        problem = _scalar_problem(schema, value)
        return [Violation(p.name, value, f"{where} [{value}] {problem}")] if problem else []

    def _check_body(
        self, schema: dict[str, Any], content_type: str, body: bytes
    ) -> list[Violation]:
        if content_type.split(";")[0].strip().lower() != "application/json":
            shown = content_type or "none"
            return [Violation("", "", f"The request body must be JSON (Content-Type was {shown})")]
        try:
            data = json.loads(body)
        except ValueError:
            return [Violation("", "", "The request body is not valid JSON")]
        return [Violation("", "", message) for message in self._validate(schema, data, "$")]

    def _validate(self, schema: dict[str, Any], data: Any, at: str) -> list[str]:
        schema = self.resolve(schema)
        kind = schema.get("type")
        if kind == "object":
            if not isinstance(data, dict):
                return [f"{at}: object expected"]
            out = [
                f"{at}.{name}: is missing"
                for name in schema.get("required", [])
                if name not in data
            ]
            props = schema.get("properties", {})
            for name, value in data.items():
                if name not in props:
                    out.append(f"{at}.{name}: is not defined in the schema")
                else:
                    out.extend(self._validate(props[name], value, f"{at}.{name}"))
            return out
        if kind == "array":
            if not isinstance(data, list):
                return [f"{at}: array expected"]
            item = schema.get("items", {})
            return [m for i, v in enumerate(data) for m in self._validate(item, v, f"{at}[{i}]")]
        if kind == "string":
            if not isinstance(data, str):
                return [f"{at}: string expected, {type(data).__name__} found"]
            problem = _scalar_problem(schema, data)
            return [f"{at}: {problem}"] if problem else []
        if kind == "integer" and (not isinstance(data, int) or isinstance(data, bool)):
            return [f"{at}: integer expected"]
        if kind == "boolean" and not isinstance(data, bool):
            return [f"{at}: boolean expected"]
        return []


def canonical(query: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The query with newer names and field values read as this definition's (older_name)."""
    out = []
    for name, value in query:
        if name.endswith(".fields") or name == "expansions":
            name = older_name(name)
            value = ",".join(older_name(v) for v in value.split(","))
        out.append((name, value))
    return out


def _scalar_problem(schema: dict[str, Any], value: str) -> str | None:
    """What is wrong with one value (as sent in a URL or a JSON string), or None."""
    if schema.get("type") == "integer":
        try:
            number = int(value)
        except ValueError:
            return "is not an integer"
        lo, hi = schema.get("minimum"), schema.get("maximum")
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            return f"is not between {lo} and {hi}"
        return None
    if "enum" in schema and value not in schema["enum"]:
        return f"is not one of [{','.join(schema['enum'])}]"
    if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
        return f"does not match {schema['pattern']}"
    lo, hi = schema.get("minLength"), schema.get("maxLength")
    if (lo is not None and len(value) < lo) or (hi is not None and len(value) > hi):
        return f"must be {lo or 0} to {hi or 'any'} characters long"
    return None


@cache
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source)


@cache
def contract() -> Contract:
    """The contract from the shipped definition, read once per process."""
    return Contract(json.loads(DEFINITION.read_text(encoding="utf-8")))
