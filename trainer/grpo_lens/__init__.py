"""GRPO Lens trainer: a small, readable GRPO loop that writes a grpo-lens/1 run directory."""

TRAINER_NAME = "grpo-lens"
__version__ = "0.1.0"
RUN_FORMAT = "grpo-lens/1"
