#!/usr/bin/env python3
"""ScoreLab's bench work in PyTorch, for the ScoreLab/PyTorch ratios that scripts/bench prints.

Prints one JSON object {key: {"what", "value", "unit"}} whose keys mirror `scorelab bench --json`
with the prefix torch_ (torch_langevin_net64_1e6 sits beside gpu_langevin_net64_1e6):

  - train_steps_per_s: the reference training configuration, 3 -> 128 -> 128 -> 128 -> 2, SiLU,
    batch 512, NCSN multi-noise DSM (sigma uniform over 10 geometric levels from 20 to 1,
    lambda = sigma^2, output divided by sigma), Adam, on the NCSN mixture; one CPU thread, as
    ScoreLab's figure (and on CUDA when there is one).
  - With CUDA (the same GPU ScoreLab's kernels ran on): Langevin at a fixed level (sigma 0.5,
    eps 0.01, one score evaluation per particle-step) with the exact 8-component mixture score and
    the two reference networks (3 -> 64 -> 64 -> 2 and 3 -> 128^3 -> 2, SiLU, random weights) at
    N = 1e6 and 1e7, fp32 eager and with TF32 matmuls; the model log-density on a 256^2 grid (VP,
    probability-flow ODE, RK4 x 100, exact divergence by autograd) with the 64-64 network.

Usage: torch_reference.py [--device cpu|cuda] [--quick]. --device cpu runs the GPU work on the CPU
at small N (a check that the script runs where no GPU is; its figures are not the comparison).
"""
import argparse
import json
import math
import time

import torch

FIGURES = {}


def figure(key, what, value, unit):
    FIGURES["torch_" + key] = {"what": what, "value": value, "unit": unit}


def timed(fn, device, min_seconds=0.5):
    """Seconds per call of fn (best of repeats after a warm-up), synchronising a CUDA device."""
    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()
    fn()
    sync()
    best, total, calls = float("inf"), 0.0, 0
    while total < min_seconds or calls < 3:
        t0 = time.perf_counter()
        fn()
        sync()
        dt = time.perf_counter() - t0
        best, total, calls = min(best, dt), total + dt, calls + 1
    return best


def mlp(widths):
    layers = []
    for a, b in zip(widths[:-1], widths[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.SiLU()]
    return torch.nn.Sequential(*layers[:-1])


# ---- training: the reference configuration -----------------------------------------------------------

def training_steps_per_s(device):
    torch.manual_seed(0)
    sigmas = torch.tensor([20.0 * (1.0 / 20.0) ** (i / 9) for i in range(10)], device=device)
    t_of_sigma = torch.log(sigmas / 1.0) / math.log(20.0)
    net = mlp([3, 128, 128, 128, 2]).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    n = 10000
    modes = torch.where(torch.rand(n, device=device) < 0.2, -5.0, 5.0)
    data = torch.randn(n, 2, device=device) + modes[:, None]

    def step():
        x0 = data[torch.randint(0, n, (512,), device=device)]
        level = torch.randint(0, 10, (512,), device=device)
        sigma = sigmas[level][:, None]
        z = torch.randn_like(x0)
        x = x0 + sigma * z
        inp = torch.cat([x / torch.sqrt(1 + sigma ** 2), t_of_sigma[level][:, None]], dim=1)
        out = net(inp)  # predicts -z; the score is out / sigma
        loss = 0.5 * ((out + z) ** 2).sum(dim=1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    def fifty():
        for _ in range(50):
            step()
    return 50 / timed(fifty, device, 1.0)


# ---- Langevin at a fixed level --------------------------------------------------------------------------

SIGMA, EPS = 0.5, 0.01


def eight_gaussians(device):
    angles = torch.arange(8, device=device) * (2 * math.pi / 8)
    means = 4.0 / math.sqrt(2.0) * torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)
    var = (0.5 / math.sqrt(2.0)) ** 2
    return means, var


def mixture_score(means, var):
    def score(x):
        v = var + SIGMA ** 2  # the mixture noised to the level: each component's variance grows
        d = means[None, :, :] - x[:, None, :]               # (N, 8, 2)
        logits = -0.5 * (d * d).sum(dim=2) / v              # equal weights, equal covariances
        r = torch.softmax(logits, dim=1)                    # responsibilities
        return (r[:, :, None] * d).sum(dim=1) / v
    return score


def network_score(net):
    c_in = 1.0 / math.sqrt(1.0 + SIGMA ** 2)

    def score(x):
        t = torch.full((x.shape[0], 1), 0.5, device=x.device)
        return net(torch.cat([x * c_in, t], dim=1)) / SIGMA
    return score


def langevin_rate(score, n, device):
    x = torch.randn(n, 2, device=device)
    noise_scale = math.sqrt(2 * EPS)

    def step():
        with torch.no_grad():
            x.add_(EPS * score(x) + noise_scale * torch.randn_like(x))
    return n / timed(step, device)


# ---- the model log-density on a 256^2 grid ---------------------------------------------------------------

def density_seconds(net, device, grid=256, steps=100):
    beta_min, beta_max, t0 = 0.1, 20.0, 1e-3
    u = torch.linspace(-4.0, 4.0, grid, device=device)
    x0 = torch.stack(torch.meshgrid(u, u, indexing="xy"), dim=2).reshape(-1, 2)

    def score(x, t):  # VP: x_t = m x_0 + s z; the network predicts -z, input x/ sqrt(m^2 + s^2)
        log_m = -0.25 * t ** 2 * (beta_max - beta_min) - 0.5 * t * beta_min
        m, s = math.exp(log_m), math.sqrt(1 - math.exp(2 * log_m))
        tt = torch.full((x.shape[0], 1), t, device=x.device)
        return net(torch.cat([x / math.sqrt(m * m + s * s), tt], dim=1)) / s

    def rhs(x, t):  # dx/dt = -1/2 beta (x + s), d(log p)/dt term = -div of that drift
        x = x.detach().requires_grad_(True)
        beta = beta_min + t * (beta_max - beta_min)
        s = score(x, t)
        div = sum(torch.autograd.grad(s[:, i].sum(), x, retain_graph=i == 0)[0][:, i] for i in range(2))
        return (-0.5 * beta * (x + s)).detach(), (-0.5 * beta * (2 + div)).detach()

    def solve():
        x, delta, h = x0.clone(), torch.zeros(x0.shape[0], device=device), (1 - t0) / steps
        for k in range(steps):
            t = t0 + k * h
            k1 = rhs(x, t)
            k2 = rhs(x + 0.5 * h * k1[0], t + 0.5 * h)
            k3 = rhs(x + 0.5 * h * k2[0], t + 0.5 * h)
            k4 = rhs(x + h * k3[0], t + h)
            x = x + h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
            delta = delta + h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        prior = -0.5 * (x * x).sum(dim=1) - math.log(2 * math.pi)
        return prior + delta
    return timed(solve, device, 0.1)


def gpu_work(device, quick):
    torch.manual_seed(1)
    counts = [10 ** 4] if quick else [10 ** 6, 10 ** 7]
    nets = {"net64": mlp([3, 64, 64, 2]).to(device), "net128": mlp([3, 128, 128, 128, 2]).to(device)}
    where = f"PyTorch {torch.__version__} on {device_name(device)}"
    means, var = eight_gaussians(device)
    for n in counts:
        e = f"1e{round(math.log10(n))}"
        figure(f"langevin_exact_8gauss_{e}", f"{where}: Langevin, exact 8-component mixture, N = {e}",
               langevin_rate(mixture_score(means, var), n, device), "particle-steps/s")
        for name, net in nets.items():
            for tf32 in ([False, True] if device.type == "cuda" else [False]):
                torch.backends.cuda.matmul.allow_tf32 = tf32
                torch.backends.cudnn.allow_tf32 = tf32
                key = f"langevin_{name}_{e}" + ("_tf32" if tf32 else "")
                figure(key, f"{where}: Langevin, {name} {'TF32' if tf32 else 'fp32'}, N = {e}",
                       langevin_rate(network_score(net), n, device), "particle-steps/s")
    torch.backends.cuda.matmul.allow_tf32 = False
    grid = 32 if quick else 256
    figure(f"density_{grid}_net64", f"{where}: model log-density {grid}^2, VP, RK4 x 100, autograd divergence, net64",
           density_seconds(nets["net64"], device, grid), "s")


def device_name(device):
    return torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", choices=["cpu", "cuda"], default=None,
                        help="where the particle and density work runs (default: cuda when available, else skipped)")
    parser.add_argument("--quick", action="store_true", help="small N and grid (a check that the script runs)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    figure("train_steps_per_s", f"PyTorch {torch.__version__}, same training configuration, one CPU thread",
           training_steps_per_s(torch.device("cpu")), "steps/s")
    device = args.device or ("cuda" if torch.cuda.is_available() else None)
    if device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("torch_reference.py: --device cuda, but this PyTorch sees no CUDA device")
    if device:
        if device == "cpu":
            torch.set_num_threads(torch.get_num_threads() if args.quick else 1)
        gpu_work(torch.device(device), args.quick or device == "cpu")
        if device == "cuda":
            figure("train_steps_per_s_cuda", f"PyTorch {torch.__version__}, same training configuration, CUDA",
                   training_steps_per_s(torch.device("cuda")), "steps/s")
    print(json.dumps(FIGURES, indent=1))


if __name__ == "__main__":
    main()
