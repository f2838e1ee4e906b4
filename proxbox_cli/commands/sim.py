"""``pxb sim``: serve a simulated Proxmox VE fleet (the simulator's own command line)."""

import typer

__all__ = ['sim']


def sim(ctx: typer.Context) -> None:
    """Serve a simulated Proxmox VE fleet (`pxb sim --help` for its options)."""
    try:
        from proxmox_sim.cli import main
    except ImportError as exc:  # its TLS certificates need the `cryptography` package
        raise typer.BadParameter(f'the simulator cannot start here ({exc}); install netbox-proxbox[cli]') from None
    raise typer.Exit(main(list(ctx.args)))
