#!/usr/bin/python3
"""The bench's reference training configuration in PyTorch, for the ScoreLab/PyTorch ratio.

3 -> 128 -> 128 -> 128 -> 2, SiLU, batch 512, NCSN multi-noise DSM (sigma uniform over 10 geometric
levels from 20 to 1, lambda = sigma^2, output divided by sigma), Adam, on the NCSN mixture; one
thread, as ScoreLab's figure. Prints JSON: {"steps_per_s": ...}. Run with Debian's python3-torch.
"""
import json
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)
sigmas = torch.tensor([20.0 * (1.0 / 20.0) ** (i / 9) for i in range(10)])
t_of_sigma = torch.log(sigmas / 1.0) / torch.log(torch.tensor(20.0))

net = torch.nn.Sequential(
    torch.nn.Linear(3, 128), torch.nn.SiLU(),
    torch.nn.Linear(128, 128), torch.nn.SiLU(),
    torch.nn.Linear(128, 128), torch.nn.SiLU(),
    torch.nn.Linear(128, 2))
opt = torch.optim.Adam(net.parameters(), lr=2e-3)

n = 10000
modes = torch.where(torch.rand(n) < 0.2, -5.0, 5.0)
data = torch.randn(n, 2) + modes[:, None]


def step():
    x0 = data[torch.randint(0, n, (512,))]
    level = torch.randint(0, 10, (512,))
    sigma = sigmas[level][:, None]
    z = torch.randn_like(x0)
    x = x0 + sigma * z
    inp = torch.cat([x / torch.sqrt(1 + sigma ** 2), t_of_sigma[level][:, None]], dim=1)
    out = net(inp)  # predicts -z; the score is out / sigma
    loss = 0.5 * ((out + z) ** 2).sum(dim=1).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()


for _ in range(20):
    step()
best = float("inf")
for _ in range(3):
    t0 = time.perf_counter()
    for _ in range(50):
        step()
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"steps_per_s": 50 / best, "torch": torch.__version__}))
