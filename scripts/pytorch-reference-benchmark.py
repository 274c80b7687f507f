#!/usr/bin/python3
"""PyTorch's training throughput for the networks `training-job benchmark` measures.

The same ResNet-18 (BasicBlocks, widths 64-512) with the same stems, the same step (forward,
cross-entropy with label smoothing 0.1, backward, SGD with Nesterov momentum 0.9 and weight decay
5e-4) and batch size on random 32x32 pictures, in PyTorch's default memory format and in channels-last.
Run with Debian's python3-torch:

    /usr/bin/python3 scripts/pytorch-reference-benchmark.py [--stems cifar-stride2,imagenet] [--threads 2]

It prints a Markdown table of images/s; the README puts it beside `training-job benchmark`'s.
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

STEMS = {
    # name: (kernel, stride, padding, max-pool)
    "imagenet": (7, 2, 3, True),
    "cifar": (3, 1, 1, False),
    "cifar-stride2": (3, 2, 1, False),
}


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ResNet18(nn.Module):
    def __init__(self, stem, width=64, classes=10):
        super().__init__()
        kernel, stride, padding, pool = STEMS[stem]
        self.conv1 = nn.Conv2d(3, width, kernel, stride, padding, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.pool = nn.MaxPool2d(3, 2, 1) if pool else nn.Identity()
        blocks, cin = [], width
        for stage in range(4):
            cout = width * 2 ** stage
            for b in range(2):
                blocks.append(Block(cin, cout, 2 if stage > 0 and b == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = self.blocks(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def measure(stem, batch, warmup, batches, channels_last):
    torch.manual_seed(1)
    net = ResNet18(stem)
    x = torch.randn(batch, 3, 32, 32)
    y = torch.randint(0, 10, (batch,))
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    # Weight decay on convolution and linear weights only, as the training job does.
    decayed = [p for n, p in net.named_parameters() if n.endswith("weight") and p.dim() > 1]
    others = [p for n, p in net.named_parameters() if not (n.endswith("weight") and p.dim() > 1)]
    sgd = torch.optim.SGD(
        [{"params": decayed, "weight_decay": 5e-4}, {"params": others, "weight_decay": 0}],
        lr=0.05, momentum=0.9, nesterov=True)
    net.train()

    def step():
        sgd.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y, label_smoothing=0.1)
        loss.backward()
        sgd.step()

    for _ in range(warmup):
        step()
    started = time.perf_counter()
    for _ in range(batches):
        step()
    return batches * batch / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stems", default="imagenet,cifar-stride2")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--warmup-batches", type=int, default=2)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {args.threads} threads, batch {args.batch_size}")
    print("| stem | PyTorch images/s | PyTorch channels-last images/s |")
    print("|---|---:|---:|")
    for stem in args.stems.split(","):
        plain = measure(stem, args.batch_size, args.warmup_batches, args.batches, False)
        last = measure(stem, args.batch_size, args.warmup_batches, args.batches, True)
        print(f"| {stem} | {plain:.1f} | {last:.1f} |", flush=True)


if __name__ == "__main__":
    main()
