"""`python -m blitzgui train ...`: the Training panel's trainer without a window.

Prints progress as the blitz does (`[1,  2000] loss: 2.187`), then the test accuracy overall and
per class, and writes OUT/config.json, OUT/metrics.json and OUT/model.pth (the state_dict).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from blitzgui.core.devices import is_valid_device_spec
from blitzgui.core.paths import default_data_dir

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(EXIT_USAGE)


def _device(text: str) -> str:
    if not is_valid_device_spec(text):
        raise argparse.ArgumentTypeError(f"invalid device {text!r} (choose auto, cpu, cuda, cuda:N or mps)")
    return text


def build_parser() -> argparse.ArgumentParser:
    from blitzgui.core.training import OPTIMIZERS, SCHEDULERS, TrainConfig

    d = TrainConfig()
    p = _Parser(prog="blitzgui train", description="Train an image classifier headless, as the Training panel does.")
    p.add_argument("--dataset", default="builtin", help="builtin, cifar10 or folder:PATH (default: builtin)")
    p.add_argument("--model", default="blitz", help="blitz (the part-4 CIFAR Net), a preset name, or a network PATH.json")
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--momentum", type=float, default=d.momentum)
    p.add_argument("--weight-decay", type=float, default=d.weight_decay)
    p.add_argument("--optimizer", choices=OPTIMIZERS, default=d.optimizer)
    p.add_argument("--scheduler", choices=SCHEDULERS, default=d.scheduler)
    p.add_argument("--device", type=_device, default=d.device, help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--threads", type=int, default=d.threads, help="torch intra-op threads (default 1)")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--data-dir", type=Path, default=default_data_dir(), help="where datasets are kept")
    p.add_argument("--out", type=Path, help="run folder for metrics.json and model.pth (default: a new run in DATA_DIR/runs)")
    p.add_argument("--print-every", type=int, default=2000, help="mini-batches per printed loss (the blitz: 2000)")
    p.add_argument("--tensorboard", action="store_true", help="also log to OUT/tensorboard")
    return p


def load_model(choice: str):
    """(module, label, spec) for --model: 'blitz', a preset name, or a network JSON file."""
    from blitzgui.core.layers import PRESETS, build_module, load_spec, preset

    if choice == "blitz":
        choice = "cifar_net"
    if choice in PRESETS:
        return build_module(preset(choice)), choice, preset(choice)
    spec = load_spec(choice)  # ValueError naming the file and the problem
    return build_module(spec), Path(choice).stem, spec


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from blitzgui.core.data import DatasetError, load_dataset
    from blitzgui.core.devices import resolve_device
    from blitzgui.core.layers import spec_to_json
    from blitzgui.core.runs import RunStore, create_run, recorded
    from blitzgui.core.training import (ConfigError, EpochEnd, Finished, Progress, TrainConfig, Trainer, seed_everything,
                                        prepare_process_for_training)

    config = TrainConfig(
        optimizer=args.optimizer, lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay,
        batch_size=args.batch_size, epochs=args.epochs, scheduler=args.scheduler, seed=args.seed,
        device=args.device, threads=args.threads, report_every=max(1, args.print_every),
    )
    try:
        config.validate()
        device = resolve_device(args.device)
        if device.notice:
            print(f"note: {device.notice}", file=sys.stderr)
        seed_everything(args.seed)
        model, label, spec = load_model(args.model)
        image_size = tuple(spec.input_shape[1:]) if args.dataset.startswith("folder:") else None
        data = load_dataset(args.dataset, args.data_dir, image_size=image_size)
        trainer = Trainer(model, data, config, device.device)
        prepare_process_for_training(config, device.device)  # the CLI's process trains and nothing else
    except (ConfigError, DatasetError, ValueError) as error:
        print(f"blitzgui train: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.out is not None:
        run = create_run(args.out, config, args.dataset, label, spec_to_json(spec))
    else:
        run = RunStore(args.data_dir).create(config, args.dataset, label, spec_to_json(spec))
    print(f"Training {label} on {data.name} ({len(data.train_labels)} train / {len(data.test_labels)} test images) "
          f"on {device.name}; run folder {run.path}")
    events = recorded(trainer.run(), run, trainer.metrics, model, tensorboard=args.tensorboard)
    finished = None
    try:
        for event in events:
            if isinstance(event, Progress) and event.step % args.print_every == 0:
                recent = trainer.metrics.step_losses.values()[-args.print_every:]
                print(f"[{event.epoch}, {event.step:5d}] loss: {recent.mean():.3f}", flush=True)
            elif isinstance(event, EpochEnd):
                r = event.record
                print(f"epoch {r.epoch}: train loss {r.train_loss:.3f}, train accuracy {100 * r.train_accuracy:.1f} %, "
                      f"test accuracy {100 * r.test_accuracy:.1f} %, {r.images_per_s:.0f} images/s", flush=True)
            elif isinstance(event, Finished):
                finished = event
    except KeyboardInterrupt:
        events.close()  # saves the partial run
        print(f"Interrupted; the partial run is kept in {run.path}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if finished.evaluation is None:
        print(f"blitzgui train: {finished.status}: {finished.message}", file=sys.stderr)
        return EXIT_FAILED
    evaluation = finished.evaluation
    print("Finished Training")
    print(f"Accuracy of the network on the {len(data.test_labels)} test images: {100 * evaluation.accuracy:.1f} %")
    for name, accuracy in evaluation.per_class.items():
        print(f"Accuracy for class: {name:8s} is {100 * accuracy:.1f} %")
    print(f"Wrote {run.path / 'metrics.json'} and {run.checkpoint_path}")
    return EXIT_OK
