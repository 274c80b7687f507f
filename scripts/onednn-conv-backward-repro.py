"""Reproducer for a wrong convolution input gradient in oneDNN 3.7.1 (PyTorch 2.7.1, CPU).

On an AMD EPYC with AVX-512 (family 26; avx512_vp2intersect, avx512_bf16), PyTorch 2.7.1's
conv2d backward gives an input gradient that differs from the float64 result by 20-80% (sometimes
NaN) when the channel count is below oneDNN's vector block (here 4 channels) and the batch has more
than one picture. The result changes from run to run. With oneDNN off it is correct. PyTorch 1.13
(oneDNN 2.6.3) on the same CPU is correct.

Run: python3 onednn-conv-backward-repro.py   (ONEDNN_VERBOSE=1 names the primitive)
"""
import torch

torch.manual_seed(0)
x = torch.randn(2, 4, 16, 16, dtype=torch.float64)
w = torch.randn(4, 4, 3, 3, dtype=torch.float64) * 0.1
g = torch.randn(2, 4, 16, 16, dtype=torch.float64)


def input_grad(dtype):
    xi = x.to(dtype).detach().requires_grad_()
    torch.nn.functional.conv2d(xi, w.to(dtype), padding=1).backward(g.to(dtype))
    return xi.grad.double()


reference = input_grad(torch.float64)
for run in range(3):
    error = (input_grad(torch.float32) - reference).abs().max() / reference.abs().max()
    print(f"torch {torch.__version__}, oneDNN on, run {run}: relative error {error.item():.1e}")
with torch.backends.mkldnn.flags(enabled=False):
    error = (input_grad(torch.float32) - reference).abs().max() / reference.abs().max()
    print(f"oneDNN off: relative error {error.item():.1e}")
