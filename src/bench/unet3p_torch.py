#!/usr/bin/python3
"""PyTorch eager reference of the UNet 3+ in SPEC 2.2 (unet3plus variant, unet3plus encoder).

Written for this benchmark from the specification (not copied): the same layers, shapes and
parameter count as io.github.unet3p.core.model (26,974,658 trainable parameters at 320x320,
width 64, 2 classes), so that its speed is a fair reference for our DJL implementation.

  unet3p_torch.py params  SIZE FILTERS CLASSES
  unet3p_torch.py flops   SIZE FILTERS CLASSES      multiply-accumulates per image, from the layer shapes
  unet3p_torch.py bench   MODE SIZE FILTERS BATCH WARMUP STEPS [THREADS]
  unet3p_torch.py matmul  N REPEATS [THREADS]
  unet3p_torch.py profile SIZE FILTERS BATCH WARMUP STEPS [THREADS]   per-phase training step time
  unet3p_torch.py conv    SIZE CIN COUT [BATCH [REPEATS [THREADS]]]   one 3x3 convolution, for profiles

bench prints the seed's lines (Latency / Throughput, or the Training forms), as UNet3+ Benchmark does.
A training step is what ModelBenchmark times: forward in training mode, hybrid loss (focal + SSIM +
IoU) plus the L2 penalty 1e-4 on the conv kernels, backward, one Adam update.
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBnRelu(nn.Sequential):
    """3x3 conv with bias ("same"), BatchNorm (Keras: momentum 0.99, eps 1e-3), ReLU."""

    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1, bias=True),
                         nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01),
                         nn.ReLU())


class UNet3Plus(nn.Module):
    def __init__(self, filters=64, classes=2):
        super().__init__()
        widths = [filters * 2 ** s for s in range(5)]
        self.encoder = nn.ModuleList()
        cin = 3
        for w in widths:
            self.encoder.append(nn.Sequential(ConvBnRelu(cin, w), ConvBnRelu(w, w)))
            cin = w
        cat = filters
        self.decoder = nn.ModuleDict()
        for level in (4, 3, 2, 1):
            branches = nn.ModuleList()
            for j in range(1, 6):
                source = widths[j - 1] if j <= level or j == 5 else 5 * cat
                branches.append(ConvBnRelu(source, cat))
            self.decoder[str(level)] = nn.ModuleDict({"branches": branches, "fuse": ConvBnRelu(5 * cat, 5 * cat)})
        self.output = nn.Conv2d(5 * cat, classes, 3, padding=1, bias=True)
        self.classes = classes

    def forward(self, x):
        e = []
        for s, stage in enumerate(self.encoder):
            if s > 0:
                x = F.max_pool2d(x, 2)
            x = stage(x)
            e.append(x)
        d = {}
        for level in (4, 3, 2, 1):
            stage = self.decoder[str(level)]
            parts = []
            for j in range(1, 6):
                src = e[j - 1] if j <= level or j == 5 else d[j]
                if j < level:
                    k = 2 ** (level - j)
                    src = F.max_pool2d(src, k, k)
                elif j > level:
                    src = F.interpolate(src, scale_factor=2 ** (j - level), mode="bilinear", align_corners=False)
                parts.append(stage["branches"][j - 1](src))
            d[level] = stage["fuse"](torch.cat(parts, 1))
        logits = self.output(d[1])
        return torch.sigmoid(logits) if self.classes == 1 else torch.softmax(logits, 1)

    def kernels(self):
        return [m.weight for m in self.modules() if isinstance(m, nn.Conv2d)]


def trainable_params(size, filters, classes):
    net = UNet3Plus(filters, classes)
    return sum(p.numel() for p in net.parameters() if p.requires_grad)


def macs(size, filters, classes):
    """Multiply-accumulates of every convolution for one image, counted from the layer shapes."""
    widths = [filters * 2 ** s for s in range(5)]
    res = [size >> s for s in range(5)]
    total = 0
    cin = 3
    for s, w in enumerate(widths):
        total += 9 * res[s] ** 2 * (cin * w + w * w)
        cin = w
    cat = filters
    for level in (4, 3, 2, 1):
        r = res[level - 1]
        for j in range(1, 6):
            source = widths[j - 1] if j <= level or j == 5 else 5 * cat
            total += 9 * r * r * source * cat
        total += 9 * r * r * 25 * cat * cat
    total += 9 * size * size * 5 * cat * classes
    return total


def gaussian_window(size=11, sigma=1.5):
    g = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    g = torch.exp(-g * g / (2 * sigma * sigma))
    g = g / g.sum()
    return torch.outer(g, g)


def hybrid_loss(p, y, window):
    eps = 1e-9
    focal = (4 * y * (1 - (p + eps)) ** 2 * -torch.log(p + eps)).amax(1).mean()
    c = p.shape[1]
    w = window.expand(c, 1, *window.shape)
    def blur(t):
        return F.conv2d(t, w, groups=c)
    mp, my = blur(p), blur(y)
    spp = blur(p * p) - mp * mp
    syy = blur(y * y) - my * my
    spy = blur(p * y) - mp * my
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    ssim = ((2 * mp * my + c1) * (2 * spy + c2)) / ((mp * mp + my * my + c1) * (spp + syy + c2))
    ssim_loss = (1 - ssim.mean((1, 2, 3))).mean()
    inter = (y * p).abs().sum((1, 2, 3))
    iou = (inter + 1) / (y.sum((1, 2, 3)) + p.sum((1, 2, 3)) - inter + 1)
    return focal + ssim_loss + (1 - iou.mean())


def bench(mode, size, filters, batch, warmup, steps, threads=2):
    torch.set_num_threads(threads)
    torch.manual_seed(5)
    net = UNet3Plus(filters, 2)
    x = torch.rand(batch, 3, size, size)
    y = F.one_hot(torch.randint(0, 2, (batch, size, size)), 2).permute(0, 3, 1, 2).float()
    if mode == "inference":
        net.eval()
        def step():
            with torch.no_grad():
                net(x)
    else:
        net.train()
        opt = torch.optim.Adam(net.parameters(), lr=5e-5, eps=1e-7)
        window = gaussian_window()
        kernels = net.kernels()
        def step():
            opt.zero_grad(set_to_none=True)
            p = net(x)
            loss = hybrid_loss(p, y, window) + 1e-4 * sum((k * k).sum() for k in kernels)
            loss.backward()
            opt.step()
    print(f"PyTorch {torch.__version__} eager, {torch.get_num_threads()} threads, {mode}, "
          f"size {size}, filters {filters}, batch {batch}, {warmup} warm-up + {steps} timed steps", flush=True)
    for _ in range(warmup):
        step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    prefix = "Training latency" if mode == "training" else "Latency"
    fps = "Training throughput/FPS" if mode == "training" else "Throughput/FPS"
    print(f"{prefix}: {1000 * seconds / steps:.1f} msec")
    print(f"{fps}: {batch * steps / seconds:.3f} samples/sec")
    print(f"CPU: {1000 * cpu / steps:.2f} msec per batch (process user + system time over the timed steps)")


def matmul(n, repeats, threads=2):
    torch.set_num_threads(threads)
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    torch.mm(a, b)
    t0 = time.perf_counter()
    for _ in range(repeats):
        torch.mm(a, b)
    seconds = time.perf_counter() - t0
    print(f"PyTorch matmul {n}x{n} fp32, {threads} threads: {2 * n ** 3 * repeats / seconds / 1e9:.1f} GFLOP/s")


def profile_training(size, filters, batch, warmup, steps, threads=2):
    """Per-phase time of the training step timed by bench(training): forward, loss, backward, Adam."""
    torch.set_num_threads(threads)
    torch.manual_seed(5)
    net = UNet3Plus(filters, 2).train()
    x = torch.rand(batch, 3, size, size)
    y = F.one_hot(torch.randint(0, 2, (batch, size, size)), 2).permute(0, 3, 1, 2).float()
    opt = torch.optim.Adam(net.parameters(), lr=5e-5, eps=1e-7)
    window, kernels = gaussian_window(), net.kernels()
    t = [0.0] * 4
    for i in range(warmup + steps):
        if i == warmup:
            t = [0.0] * 4
        opt.zero_grad(set_to_none=True)
        t0 = time.perf_counter()
        p = net(x)
        t1 = time.perf_counter()
        loss = hybrid_loss(p, y, window) + 1e-4 * sum((k * k).sum() for k in kernels)
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        opt.step()
        t4 = time.perf_counter()
        for k, v in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            t[k] += v
    for name, v in zip(("forward (training mode)", "hybrid loss + L2", "backward", "Adam update"), t):
        print(f"{name:24s} {1000 * v / steps:8.1f} ms/step  {100 * v / sum(t):5.1f}%")
    print(f"{'total':24s} {1000 * sum(t) / steps:8.1f} ms/step")


def adam(size, filters, rounds=7, threads=2):
    """torch.optim.Adam's step alone on the network's parameters, fresh N(0, 1e-3²) gradients (as AdamBench)."""
    torch.set_num_threads(threads)
    torch.manual_seed(5)
    net = UNet3Plus(filters, 2).train()
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=1e-3, eps=1e-7)
    times = []
    for r in range(rounds):
        torch.manual_seed(r)
        for p in params:
            p.grad = torch.randn_like(p) * 1e-3
        t0 = time.perf_counter()
        opt.step()
        times.append(time.perf_counter() - t0)
    print(f"parameters: {sum(p.numel() for p in params):,} in {len(params)} tensors")
    print(f"Adam step, torch.optim.Adam (PyTorch {torch.__version__}): median {1000 * sorted(times)[rounds // 2]:.1f} ms of {rounds}")


def conv(size, cin, cout, batch=1, repeats=5, threads=2):
    torch.set_num_threads(threads)
    x = torch.rand(batch, cin, size, size)
    c = nn.Conv2d(cin, cout, 3, padding=1).eval()
    with torch.no_grad():
        c(x)
        t0 = time.perf_counter()
        for _ in range(repeats):
            c(x)
    s = (time.perf_counter() - t0) / repeats
    print(f"PyTorch conv {cin}x{size}² -> {cout}, batch {batch}: {1000 * s:.1f} ms, {2 * 9 * cin * cout * size * size * batch / s / 1e9:.1f} GFLOP/s")


if __name__ == "__main__":
    cmd, args = sys.argv[1], [a for a in sys.argv[2:]]
    if cmd == "params":
        print(f"Trainable params: {trainable_params(*map(int, args)):,}")
    elif cmd == "flops":
        m = macs(*map(int, args))
        print(f"MACs per image: {m} ({2 * m / 1e9:.2f} GFLOP)")
    elif cmd == "bench":
        bench(args[0], *map(int, args[1:]))
    elif cmd == "profile":
        profile_training(*map(int, args))
    elif cmd == "adam":
        adam(*map(int, args))
    elif cmd == "conv":
        conv(*map(int, args))
    elif cmd == "matmul":
        matmul(*map(int, args))
    else:
        sys.exit("unknown command " + cmd)
