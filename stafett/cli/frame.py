"""The words typer itself prints around our help texts (Usage, Options, the help option, [default: ...]),
in the reader's language.

typer looks up some of them with gettext's global domain and writes others literally; both are routed
through stafett's catalog here, once, when the command line starts. The texts are marked below so the
catalog holds them.
"""

from __future__ import annotations

import re

from stafett.i18n import N_, _

FRAME = (
    N_("Usage: "), N_("Show this message and exit."), N_("Options"), N_("Arguments"), N_("Commands"),
    N_("default: {default}"), N_("required"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"),
    N_("Missing command."), N_("No such command {name!r}."),
)

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    import typer.core as typer_core
    from typer._click import core as click_core
    from typer._click import formatting

    typer_core._ = _  # typer's own gettext lookups: Options, Arguments, Commands, default, required

    write_usage = formatting.HelpFormatter.write_usage

    def translated_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = translated_usage

    get_help_option = click_core.Command.get_help_option

    def translated_help_option(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    click_core.Command.get_help_option = translated_help_option
    _install_usage_errors()


def _install_usage_errors() -> None:
    """A mistyped command line (an unknown option, a missing argument) is reported by typer's vendored click
    with English f-strings; its `show` is replaced so the reader gets the same lines in their language."""
    from typer._click import exceptions
    from typer._click.utils import echo

    def show(self, file=None) -> None:
        if file is None:
            file = exceptions.get_text_stderr()
        color = self.ctx.color if self.ctx is not None else None
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = _("Try `{command} {option}` for help.").format(
                    command=self.ctx.command_path, option=self.ctx.help_option_names[0]) + "\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
        echo(_("error: {message}").format(message=usage_message(self, exceptions)), file=file, color=color)

    exceptions.UsageError.show = show


def usage_message(error, exceptions) -> str:
    if isinstance(error, exceptions.NoSuchOption) and error.message.startswith("No such option"):
        text = _("no such option: {option}").format(option=error.option_name)
        if error.possibilities:
            text += " " + _("(possible options: {options})").format(options=", ".join(sorted(error.possibilities)))
        return text
    if isinstance(error, exceptions.MissingParameter) and not error.message:
        what = error.param.get_error_hint() if error.param is not None else ""
        if error.param_type == "argument" or (error.param is not None and error.param.param_type_name == "argument"):
            return _("missing argument {name}").format(name=what)
        return _("missing option {name}").format(name=what)
    if isinstance(error, exceptions.BadParameter) and error.param is not None:
        return _("invalid value for {param}: {message}").format(param=error.param.get_error_hint(), message=error.message)
    extra = re.match(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", error.message)
    if extra:
        return _("unexpected extra argument(s): {arguments}").format(arguments=extra.group(1))
    return error.format_message()
