"""The language server (``nodeleaklint server``): diagnostics and quick fixes over stdio.

Needs the ``lsp`` extra (pygls 2). Each open JavaScript or TypeScript document is checked
like ``nodeleaklint check --force-exclude --stdin-filename PATH``: the configuration found
from its path applies, excluded files get no diagnostics.

- Diagnostics are pushed on open and save, and on change after ``DEBOUNCE_SECONDS`` of
  quiet. Clients that support pull diagnostics (LSP 3.17 ``textDocument/diagnostic``) are
  answered on request instead of pushed to, so nothing is shown twice.
- Columns are converted to the position encoding negotiated with the client.
- A diagnostic's message is the finding's headline, then its notes and help, one per line.
- Quick fixes: the finding's own rewrite when it has one (``Finding.fix``, carried to the
  code action in the diagnostic's ``data``; it changes behaviour, so it is never marked
  preferred), disable the rule for the line (a comment above it) or for the file (a
  comment at the top, after any ``#!`` line), and show the rule's documentation.
- The project view: an index of every file's summary is built in the background when the
  session starts (progress shown by the editor), updated when a file is saved, and gives
  each check what the rest of the project says about the document (SPEC §1 "In view").
- A saved or changed ``nodeleaklint.toml``, ``.nodeleaklint.toml``, ``pyproject.toml`` or
  ``package.json`` re-checks every open document (settings are read afresh on each check).
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import ServerTextPosition, ServerTextRange, TextDocument

from nodeleaklint import __version__, lsp_edits, runner
from nodeleaklint.config import CONFIG_FILENAMES, ConfigError
from nodeleaklint.findings import (
    Finding,
    Fix,
    Notification,
    RelatedLocation,
    RunResult,
    Severity,
    Span,
)
from nodeleaklint.parsing import SHEBANG_PROBE, dialect_for_source
from nodeleaklint.project.index import ProjectIndex
from nodeleaklint.records import record
from nodeleaklint.reporters.common import NOTIFICATION_IDS
from nodeleaklint.rules import RULES_BY_ID, UnknownRuleError
from nodeleaklint.rules.base import explain
from nodeleaklint.source import split_lines, utf16_to_codepoint_column

SOURCE = "nodeleaklint"
DEBOUNCE_SECONDS = 0.3
SHOW_DOCUMENTATION = "nodeleaklint.showDocumentation"
CONFIG_WATCH = "**/{" + ",".join(CONFIG_FILENAMES) + "}"
_RULE_ID = re.compile(r"^NLL\d+$")
_UNTITLED_SUFFIX = {
    "javascript": ".js",
    "javascriptreact": ".jsx",
    "typescript": ".ts",
    "typescriptreact": ".tsx",
}
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}


@record
class _Rejected:
    """A message that could not be read as the request or notification it claims to be."""

    id: int | str | None
    error: JsonRpcException | None  # None: a notification, which gets no answer


class _Protocol(LanguageServerProtocol):
    """pygls' protocol, answering what it cannot read instead of only logging it.

    A request whose params do not fit its method gets an Invalid Params error with its
    id (pygls lost the id, and the client waited forever); a message that is not a
    JSON-RPC object (a batch, a number, no ``jsonrpc``) gets Invalid Request; a
    notification that cannot be read is ignored, as JSON-RPC asks. A body that is not
    JSON gets Parse Error (``NodeLeakLintServer.report_server_error``). Handled
    notifications leave nothing behind.
    """

    def structure_message(self, data: Any) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if isinstance(data, dict) and "method" in data and _valid_id(data.get("id")):
                return _Rejected(data["id"], error)
            return _Rejected(None, None)

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Rejected):
            if message.error is not None:
                self._send_response(message.id, None, message.error.to_response_error())  # type: ignore[arg-type]
            return
        if not hasattr(message, "jsonrpc"):
            request_id = message.get("id") if isinstance(message, dict) else None
            error = JsonRpcInvalidRequest().to_response_error()
            self._send_response(request_id if _valid_id(request_id) else None, None, error)  # type: ignore[arg-type]
            return
        super().handle_message(message)

    def _check_handler_result(self, future: Any) -> None:
        # pygls files the future of each notification (didOpen, didChange …) under a fresh
        # id and never removes it: a Future, a Condition and an RLock kept per keystroke.
        super()._check_handler_result(future)
        for key in [key for key, kept in self._request_futures.items() if kept is future]:
            del self._request_futures[key]


def _valid_id(value: object) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


class NodeLeakLintServer(LanguageServer):
    """pygls server plus the state of one session: push or pull, pending checks."""

    def __init__(self) -> None:
        super().__init__("nodeleaklint", __version__, protocol_cls=_Protocol)
        self.push = True
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.debounce = DEBOUNCE_SECONDS
        self.index = ProjectIndex()

    def report_server_error(self, error: Exception, source: Any) -> None:
        if isinstance(error, ValueError):  # the body was not JSON (or not UTF-8)
            parse_error = types.ResponseError(
                code=JsonRpcParseError.CODE, message=f"{JsonRpcParseError.MESSAGE}: {error}"
            )
            self.protocol._send_response(None, None, parse_error)  # type: ignore[arg-type]
            return
        super().report_server_error(error, source)

    # -- checking ----------------------------------------------------------------------

    def diagnostics(self, document: TextDocument) -> list[types.Diagnostic]:
        path = document_path(document)
        if path is None:
            return []
        data = document.source.encode("utf-8", errors="surrogatepass")
        if dialect_for_source(path, data[:SHEBANG_PROBE]) is None:
            return []
        try:
            result = runner.run(
                (),
                stdin=data,
                stdin_filename=str(path),
                force_exclude=True,
                project=self.index.facts_for(str(path)),
            )
        except (ConfigError, UnknownRuleError) as error:
            return [_whole_line(document, 0, f"configuration error: {error}", "NLL-CONFIG")]
        return to_diagnostics(document, result)

    def publish(self, uri: str) -> None:
        self.cancel(uri)
        document = self.workspace.get_text_document(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=document.version, diagnostics=self.diagnostics(document)
            )
        )

    def schedule(self, uri: str) -> None:
        """Publish for ``uri`` once no change has come for ``debounce`` seconds."""
        self.cancel(uri)
        self.pending[uri] = asyncio.get_running_loop().create_task(self._publish_later(uri))

    async def _publish_later(self, uri: str) -> None:
        await asyncio.sleep(self.debounce)
        self.pending.pop(uri, None)
        self.publish(uri)

    def cancel(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def index_project(self, root: Path) -> None:
        """Build the project index in the background, with progress shown by the editor,
        then check the open documents again with the project in view."""
        token = "nodeleaklint-index"
        loop = asyncio.get_running_loop()
        self.work_done_progress.create(token)
        self.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title="nodeleaklint: indexing the project")
        )

        def report(done: int, total: int) -> None:
            if done % 50 == 0 or done == total:
                message = f"{done}/{total} files"
                percentage = done * 100 // total if total else 100
                value = types.WorkDoneProgressReport(message=message, percentage=percentage)
                loop.call_soon_threadsafe(self.work_done_progress.report, token, value)

        def build() -> None:
            try:
                count = self.index.load(root, report)
                message = f"{count} files in view"
            except Exception as error:  # the index is optional: files are still checked
                message = f"indexing failed: {type(error).__name__}: {error}"
            end = types.WorkDoneProgressEnd(message=message)
            loop.call_soon_threadsafe(self.work_done_progress.end, token, end)
            loop.call_soon_threadsafe(self.recheck_in_view)

        threading.Thread(target=build, name="nodeleaklint-index", daemon=True).start()

    def update_index(self, path: str, data: bytes) -> None:
        """Summarize a saved file and, when its summary changed, link the project again,
        off the event loop; then check the open documents again."""
        loop = asyncio.get_running_loop()

        def work() -> None:
            try:
                if not self.index.update(path, data):
                    return
                self.index.relink()
            except Exception:  # the index is optional: a failed update keeps the old view
                return
            loop.call_soon_threadsafe(self.recheck_in_view)

        threading.Thread(target=work, name="nodeleaklint-index-update", daemon=True).start()

    def recheck_in_view(self) -> None:
        """The index is ready: check again the open documents it knows something about."""
        documents = self.workspace.text_documents
        if any(
            (path := document_path(document)) is not None and self.index.facts_for(str(path))
            for document in documents.values()
        ):
            self.recheck_all()

    def recheck_all(self) -> None:
        """Settings changed: check every open document again."""
        if self.push:
            for uri in list(self.workspace.text_documents):
                self.publish(uri)
        elif _supports_refresh(self.client_capabilities):
            self.workspace_diagnostic_refresh(None)


def _supports_refresh(capabilities: types.ClientCapabilities) -> bool:
    workspace = capabilities.workspace
    return bool(workspace and workspace.diagnostics and workspace.diagnostics.refresh_support)


def document_path(document: TextDocument) -> Path | None:
    """The file a document is (or, when untitled, would be by its language) in the cwd."""
    path = to_fs_path(document.uri) if document.uri.startswith("file:") else None
    if path is not None:
        return Path(path)
    suffix = _UNTITLED_SUFFIX.get(document.language_id or "")
    return Path.cwd() / f"untitled{suffix}" if suffix else None


# -- conversion ------------------------------------------------------------------------


def _column(lines: Sequence[str], line0: int, utf16_column0: int) -> int:
    """A 0-based UTF-16 column as a code-point column (pygls' internal unit)."""
    if not 0 <= line0 < len(lines):
        return 0
    text = lines[line0]
    if line0 == 0 and text.startswith("\ufeff"):  # findings do not count the BOM
        return 1 + utf16_to_codepoint_column(text[1:], utf16_column0)
    return utf16_to_codepoint_column(text, utf16_column0)


def to_range(document: TextDocument, span: Span) -> types.Range:
    """A finding's span (1-based lines, 1-based UTF-16 columns) in the client's units."""
    lines = split_lines(document.source)
    start = ServerTextPosition(span.line - 1, _column(lines, span.line - 1, span.column - 1))
    end = ServerTextPosition(
        span.end_line - 1, _column(lines, span.end_line - 1, span.end_column - 1)
    )
    return document.position_codec.range_to_client_units(lines, ServerTextRange(start, end))


def _whole_line(document: TextDocument, line0: int, message: str, code: str) -> types.Diagnostic:
    lines = split_lines(document.source)
    text = lines[line0].rstrip("\r\n") if line0 < len(lines) else ""
    codec_range = ServerTextRange(
        ServerTextPosition(line0, 0), ServerTextPosition(line0, len(text))
    )
    return types.Diagnostic(
        range=document.position_codec.range_to_client_units(lines, codec_range),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
        code=code,
    )


def _related_location(document: TextDocument, item: RelatedLocation) -> types.Location:
    """Where a related location is: in the document, or in another file of the project
    (a caller the project view names), whose text the server need not have."""
    if item.path is None:
        return types.Location(uri=document.uri, range=to_range(document, item.span))
    line = max(item.span.line - 1, 0)
    start = types.Position(line=line, character=0)
    uri = from_fs_path(os.path.abspath(item.path)) or document.uri
    return types.Location(uri=uri, range=types.Range(start=start, end=start))


def finding_diagnostic(document: TextDocument, finding: Finding) -> types.Diagnostic:
    rule = RULES_BY_ID.get(finding.rule)
    related = [
        types.DiagnosticRelatedInformation(
            location=_related_location(document, item), message=item.message
        )
        for item in finding.related
    ]
    data: dict[str, Any] = {"name": finding.name}
    if finding.fix is not None:
        data["fix"] = fix_data(document, finding.fix)
    return types.Diagnostic(
        range=to_range(document, finding.span),
        message=diagnostic_message(finding),
        severity=_SEVERITY[finding.level],
        source=SOURCE,
        code=finding.rule,
        code_description=types.CodeDescription(href=rule.docs_url) if rule else None,
        related_information=related or None,
        data=data,
    )


def diagnostic_message(finding: Finding) -> str:
    """The headline, then each note and the help, one per line (editors that show one line
    inline show the headline)."""
    explanation = explain(finding)
    lines = [explanation.headline, *explanation.notes]
    if explanation.help:
        lines.append(f"help: {explanation.help}")
    return "\n".join(lines)


def fix_data(document: TextDocument, fix: Fix) -> dict[str, Any]:
    """A finding's rewrite as plain data for a diagnostic's ``data``: the title and LSP text
    edits in the client's position units (the client hands it back with the code action
    request)."""
    edits = [
        {"range": _range_data(to_range(document, edit.span)), "newText": edit.content}
        for edit in fix.edits
    ]
    return {"title": fix.title, "applicability": fix.applicability.value, "edits": edits}


def _range_data(where: types.Range) -> dict[str, dict[str, int]]:
    return {
        "start": {"line": where.start.line, "character": where.start.character},
        "end": {"line": where.end.line, "character": where.end.character},
    }


def _fix_action(document: TextDocument, diagnostic: types.Diagnostic) -> types.CodeAction | None:
    """The code action for a diagnostic's rewrite, read back from its ``data`` (None when
    it has none or the data is not ours)."""
    data = diagnostic.data
    fix = data.get("fix") if isinstance(data, dict) else None
    if not isinstance(fix, dict):
        return None
    try:
        edits = [
            types.TextEdit(
                range=types.Range(
                    start=types.Position(**edit["range"]["start"]),
                    end=types.Position(**edit["range"]["end"]),
                ),
                new_text=str(edit["newText"]),
            )
            for edit in fix["edits"]
        ]
        title = f"{fix['title']} ({fix.get('applicability', 'unsafe')} fix)"
    except (KeyError, TypeError):
        return None
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={document.uri: edits}),
    )


def notification_diagnostic(document: TextDocument, notification: Notification) -> types.Diagnostic:
    diagnostic = _whole_line(
        document,
        max((notification.line or 1) - 1, 0),
        notification.message,
        NOTIFICATION_IDS[notification.kind],
    )
    diagnostic.severity = _SEVERITY[notification.level]
    return diagnostic


def to_diagnostics(document: TextDocument, result: RunResult) -> list[types.Diagnostic]:
    found = [finding_diagnostic(document, finding) for finding in result.findings]
    found.extend(notification_diagnostic(document, n) for n in result.all_notifications)
    return found


# -- quick fixes -----------------------------------------------------------------------


def _insert(document: TextDocument, insertion: lsp_edits.Insertion) -> types.WorkspaceEdit:
    position = types.Position(line=insertion.line, character=0)
    edit = types.TextEdit(range=types.Range(start=position, end=position), new_text=insertion.text)
    return types.WorkspaceEdit(changes={document.uri: [edit]})


def code_actions(
    document: TextDocument, diagnostics: Iterable[types.Diagnostic]
) -> list[types.CodeAction]:
    """Per nodeleaklint diagnostic: its rewrite (when it has one), disable for this line,
    for this file, show docs."""
    actions: list[types.CodeAction] = []
    seen: set[str] = set()
    lines = split_lines(document.source)
    for diagnostic in diagnostics:
        rule = diagnostic.code
        if diagnostic.source != SOURCE or not isinstance(rule, str) or not _RULE_ID.match(rule):
            continue
        rewrite = _fix_action(document, diagnostic)
        if rewrite is not None:
            actions.append(rewrite)
        line = lsp_edits.disable_next_line(lines, diagnostic.range.start.line, rule)
        actions.append(
            types.CodeAction(
                title=f"Disable {rule} for this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=_insert(document, line),
                is_preferred=True,
            )
        )
        if rule in seen:
            continue
        seen.add(rule)
        actions.append(
            types.CodeAction(
                title=f"Disable {rule} for this file",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=_insert(document, lsp_edits.disable_file(lines, rule)),
            )
        )
        actions.append(
            types.CodeAction(
                title=f"Show documentation for {rule}",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                command=types.Command(
                    title=f"Show documentation for {rule}",
                    command=SHOW_DOCUMENTATION,
                    arguments=[rule],
                ),
            )
        )
    return actions


def show_documentation(ls: LanguageServer, rule_id: str) -> None:
    """Open the rule's page in the browser (``window/showDocument``), else show its URL."""
    rule = RULES_BY_ID.get(rule_id)
    if rule is None:
        return
    window = ls.client_capabilities.window
    if window is not None and window.show_document is not None and window.show_document.support:
        ls.window_show_document(types.ShowDocumentParams(uri=rule.docs_url, external=True))
    else:
        ls.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Info, message=f"{rule.id} ({rule.name}): {rule.docs_url}"
            )
        )


# -- wiring ----------------------------------------------------------------------------


def _is_config(uri: str) -> bool:
    path = to_fs_path(uri)
    return path is not None and PurePath(path).name in CONFIG_FILENAMES


def create_server() -> NodeLeakLintServer:
    server = NodeLeakLintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: NodeLeakLintServer, params: types.InitializeParams) -> None:
        text = params.capabilities.text_document
        ls.push = text is None or text.diagnostic is None

    @server.feature(types.INITIALIZED)
    def initialized(ls: NodeLeakLintServer, params: types.InitializedParams) -> None:
        root = ls.workspace.root_path
        if root:
            ls.index_project(Path(root))
        workspace = ls.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched is None or not watched.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=CONFIG_WATCH)]
        )
        registration = types.Registration(
            id="nodeleaklint-config",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NodeLeakLintServer, params: types.DidOpenTextDocumentParams) -> None:
        if ls.push:
            ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: NodeLeakLintServer, params: types.DidChangeTextDocumentParams) -> None:
        if ls.push:
            ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: NodeLeakLintServer, params: types.DidSaveTextDocumentParams) -> None:
        if _is_config(params.text_document.uri):
            ls.recheck_all()
            return
        document = ls.workspace.get_text_document(params.text_document.uri)
        path = document_path(document)
        if path is not None and ls.index.ready:
            # Its callers and callees may see it differently now: link again in the
            # background (checks go on with the previous view), then check the open
            # documents again.
            ls.update_index(str(path), document.source.encode("utf-8", errors="surrogatepass"))
        if ls.push:
            ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NodeLeakLintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.cancel(params.text_document.uri)
        if ls.push:
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
            )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: NodeLeakLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(_is_config(change.uri) for change in params.changes):
            ls.recheck_all()

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False
        ),
    )
    def pull(
        ls: NodeLeakLintServer, params: types.DocumentDiagnosticParams
    ) -> types.RelatedFullDocumentDiagnosticReport:
        document = ls.workspace.get_text_document(params.text_document.uri)
        return types.RelatedFullDocumentDiagnosticReport(items=ls.diagnostics(document))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(
        ls: NodeLeakLintServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        document = ls.workspace.get_text_document(params.text_document.uri)
        return code_actions(document, params.context.diagnostics)

    server.command(SHOW_DOCUMENTATION)(show_documentation)
    return server


def main() -> None:
    """Serve on stdin/stdout until the client says exit."""
    create_server().start_io()


if __name__ == "__main__":
    main()
