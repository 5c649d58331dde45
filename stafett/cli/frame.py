"""The words typer itself prints around our help texts (Usage, Options, the help option, [default: ...]),
in the reader's language.

typer looks up some of them with gettext's global domain and writes others literally; both are routed
through stafett's catalog here, once, when the command line starts. The texts are marked below so the
catalog holds them.
"""

from __future__ import annotations

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
