"""The JSON Schemas published for editors and in the site, one per file a contributor writes."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, RootModel

from .registry import COLLECTIONS, Registry
from .schema import REF_KEY, Slug
from .slugs import SLUG_PATTERN

__all__ = ["json_schemas", "schema_files"]


def _collection_schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = RootModel[dict[Slug, model]].model_json_schema()  # type: ignore[valid-type]
    schema["title"] = title
    schema["propertyNames"] = {"pattern": SLUG_PATTERN}
    return schema


def json_schemas(registry: Registry = COLLECTIONS) -> dict[str, dict[str, Any]]:
    """Every published JSON Schema, by file name, in the registry's order."""
    schemas: dict[str, dict[str, Any]] = {}
    for collection in registry.values():
        if collection.file is None:  # one file per entry: the schema of an entry
            schemas[f"{collection.model.__name__.lower()}.schema.json"] = collection.model.model_json_schema()
        elif collection.single:
            schemas[collection.file.replace(".yml", ".schema.json")] = collection.model.model_json_schema()
        else:
            schemas[collection.file.replace(".yml", ".schema.json")] = _collection_schema(collection.model, collection.file)
    for name, schema in list(schemas.items()):
        schemas[name] = _described(schema, registry)
        schemas[name]["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schemas[name]["$id"] = f"schema/{name}"
    return schemas


def _described(node: Any, registry: Registry) -> Any:
    """The schema with each reference field described from the registry: where its ids are written."""
    if isinstance(node, list):
        return [_described(item, registry) for item in node]
    if not isinstance(node, dict):
        return node
    described = {key: _described(value, registry) for key, value in node.items() if key != REF_KEY}
    return {"description": registry[node[REF_KEY]].ref_description, **described} if REF_KEY in node else described


def schema_files(registry: Registry = COLLECTIONS) -> dict[str, str]:
    """The JSON Schema files as committed in practices/schema/ and published in /schema/."""
    return {name: json.dumps(schema, ensure_ascii=False, indent=2) + "\n" for name, schema in json_schemas(registry).items()}
