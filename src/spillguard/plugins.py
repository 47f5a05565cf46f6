"""The plugin contract: pluggy hook specifications, in one documented file.

A plugin is a module or object with functions marked ``@hookimpl``. Built-in readers, detectors and
reporters register exactly like third-party ones; third-party packages declare an entry point in
the group ``spillguard``::

    [project.entry-points.spillguard]
    my_reader = "my_package.spillguard_plugin"

Hooks:

``spillguard_readers()``    -> list of `spillguard.readers.base.Reader`
``spillguard_detectors()``  -> list of `spillguard.detectors.base.TextDetector`
``spillguard_reporters()``  -> list of `spillguard.reports.base.Reporter`

Readers are asked in registration order whether they recognise a file (``sniff``); plugins
registered later are asked first, so a plugin can take over a type from a built-in.
"""

from __future__ import annotations

import functools
import importlib

import pluggy

from spillguard.detectors.base import TextDetector
from spillguard.readers.base import Reader
from spillguard.reports.base import Reporter

hookspec = pluggy.HookspecMarker("spillguard")
hookimpl = pluggy.HookimplMarker("spillguard")

#: built-in plugin modules, registered the same way as third-party ones
DEFAULT_PLUGINS: tuple[str, ...] = (
    "spillguard.readers.builtin",
    "spillguard.detectors.builtin",
    "spillguard.reports.builtin",
)


class HookSpecs:
    @hookspec
    def spillguard_readers(self) -> list[Reader]:  # type: ignore[empty-body]
        """Return readers for file formats."""

    @hookspec
    def spillguard_detectors(self) -> list[TextDetector]:  # type: ignore[empty-body]
        """Return text detectors."""

    @hookspec
    def spillguard_reporters(self) -> list[Reporter]:  # type: ignore[empty-body]
        """Return reporters (output formats)."""


def make_plugin_manager(*, entry_points: bool = True) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("spillguard")
    pm.add_hookspecs(HookSpecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    if entry_points:
        pm.load_setuptools_entrypoints("spillguard")
    return pm


@functools.cache
def plugin_manager() -> pluggy.PluginManager:
    return make_plugin_manager()


def readers(pm: pluggy.PluginManager | None = None) -> list[Reader]:
    pm = pm or plugin_manager()
    return [r for batch in pm.hook.spillguard_readers() for r in batch]


def detectors(pm: pluggy.PluginManager | None = None) -> list[TextDetector]:
    pm = pm or plugin_manager()
    return [d for batch in pm.hook.spillguard_detectors() for d in batch]


def reporters(pm: pluggy.PluginManager | None = None) -> dict[str, Reporter]:
    pm = pm or plugin_manager()
    out: dict[str, Reporter] = {}
    for batch in reversed(pm.hook.spillguard_reporters()):
        for r in batch:
            out[r.format] = r
    return out
