"""The clock of one training step (GRPO, PPO, environments): phase times on the device and
this step's peak memory.  CUDA runs asynchronously, so each reading first waits for the
work queued on the device; without it a phase's time lands in whichever phase syncs next."""
import time

import torch


class StepClock:
    def __init__(self, device):
        self.device = device
        self.cuda = str(device).startswith("cuda")
        if self.cuda:  # memory/peak_gb is this step's peak, not the run's
            torch.cuda.reset_peak_memory_stats(device)
        self.start = self.now()

    def now(self):
        """Wall time once the device's queued work is done."""
        if self.cuda:
            torch.cuda.synchronize(self.device)
        return time.time()

    def memory(self):
        """{"memory/peak_gb": …} on CUDA, {} elsewhere."""
        if not self.cuda:
            return {}
        return {"memory/peak_gb": torch.cuda.max_memory_allocated(self.device) / 2**30}
