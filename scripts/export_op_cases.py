#!/usr/bin/python3
"""PyTorch reference cases for the operators that real torchvision exports use.

Writes test/fixtures/ops-torch/cases.json and ops.safetensors: for every case the functional
call, its keyword arguments, and float32 inputs with the float64 output PyTorch computes from
them. The test suite reads these files; it never runs this script (nor needs torch).

Run from the repository root with Debian's python3 and its python3-torch package:

    /usr/bin/python3 scripts/export_op_cases.py

Format (close to the shared reference cases): cases.json maps a case name to
  {"op": functional name, "kwargs": {...}, "inputs": [tensor names in call order],
   "params": {role: tensor name}, "outputs": [tensor names], "shapes": {tensor: shape}}
and ops.safetensors holds `<case>.<tensor>`: inputs and weights as F32, outputs as F64.
"""
import json
import os
import struct

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'ops-torch')
gen = torch.Generator().manual_seed(20261204)


def rand(*shape, lo=-3.0, hi=3.0):
    return (torch.rand(*shape, generator=gen, dtype=torch.float64) * (hi - lo) + lo).float()


cases = {}
tensors = {}


def case(name, op, fn, inputs, params=None, kwargs=None, outputs=1):
    """Record fn(*inputs, **params-by-position) computed in float64 from float32 inputs."""
    params = params or {}
    kwargs = kwargs or {}
    args64 = [t.double() for t in inputs.values()]
    p64 = {k: v.double() for k, v in params.items()}
    with torch.no_grad():
        y = fn(*args64, **p64, **kwargs)
    ys = list(y) if isinstance(y, (tuple, list)) else [y]
    assert len(ys) == outputs, name
    entry = {'op': op, 'kwargs': kwargs, 'inputs': list(inputs), 'params': {}, 'outputs': [], 'shapes': {}}
    for k, t in inputs.items():
        tensors[f'{name}.{k}'] = t.float().contiguous()
        entry['shapes'][k] = list(t.shape)
    for role, t in params.items():
        tensors[f'{name}.{role}'] = t.float().contiguous()
        entry['params'][role] = role
        entry['shapes'][role] = list(t.shape)
    for i, t in enumerate(ys):
        key = 'y' if outputs == 1 else f'y{i}'
        tensors[f'{name}.{key}'] = t.double().contiguous()
        entry['outputs'].append(key)
        entry['shapes'][key] = list(t.shape)
    cases[name] = entry


x4 = lambda: rand(2, 6, 5, 7)  # noqa: E731
x5 = lambda: rand(1, 4, 3, 5, 6)  # noqa: E731

# Activations (values spread over the kinks of each function).
case('hardswish', 'hardswish', F.hardswish, {'x': x4()})
case('hardsigmoid', 'hardsigmoid', F.hardsigmoid, {'x': x4()})
case('silu', 'silu', F.silu, {'x': x4()})
case('gelu_erf', 'gelu', F.gelu, {'x': x4()}, kwargs={'approximate': 'none'})
case('gelu_tanh', 'gelu', F.gelu, {'x': x4()}, kwargs={'approximate': 'tanh'})
case('elu_1', 'elu', F.elu, {'x': x4()}, kwargs={'alpha': 1.0})
case('elu_0.5', 'elu', F.elu, {'x': x4()}, kwargs={'alpha': 0.5})
case('hardtanh_m1_1', 'hardtanh', F.hardtanh, {'x': x4()}, kwargs={'min_val': -1.0, 'max_val': 1.0})
case('relu6', 'relu6', F.relu6, {'x': rand(2, 6, 5, 7, lo=-4, hi=9)})
case('leaky_relu_0.1', 'leaky_relu', F.leaky_relu, {'x': x4()}, kwargs={'negative_slope': 0.1})
case('prelu_channel', 'prelu', lambda x, weight: F.prelu(x, weight), {'x': x4()}, {'weight': rand(6, lo=0, hi=0.5)})
case('prelu_single', 'prelu', lambda x, weight: F.prelu(x, weight), {'x': x4()}, {'weight': torch.tensor([0.25])})
case('prelu_3d', 'prelu', lambda x, weight: F.prelu(x, weight), {'x': x5()}, {'weight': rand(4, lo=0, hi=0.5)})

# Elementwise with a broadcast operand: squeeze-and-excitation scales, input normalisation.
case('mul_se', 'mul', torch.mul, {'x': x4(), 'x2': rand(2, 6, 1, 1, lo=0, hi=1)})
case('add_channel', 'add', torch.add, {'x': x4(), 'x2': rand(1, 6, 1, 1)})
case('sub_norm', 'sub', torch.sub, {'x': rand(2, 3, 6, 5, lo=0, hi=1), 'x2': torch.tensor([0.485, 0.456, 0.406]).reshape(1, 3, 1, 1)})
case('div_norm', 'div', torch.div, {'x': rand(2, 3, 6, 5, lo=0, hi=1), 'x2': torch.tensor([0.229, 0.224, 0.225]).reshape(1, 3, 1, 1)})
case('mul_se_3d', 'mul', torch.mul, {'x': x5(), 'x2': rand(1, 4, 1, 1, 1, lo=0, hi=1)})
case('sub_same', 'sub', torch.sub, {'x': x4(), 'x2': x4()})
case('div_same', 'div', torch.div, {'x': x4(), 'x2': rand(2, 6, 5, 7, lo=0.5, hi=2)})

# Reductions over spatial axes.
case('mean_hw_keep', 'mean', lambda x: torch.mean(x, dim=(2, 3), keepdim=True), {'x': x4()}, kwargs={})
cases['mean_hw_keep']['kwargs'] = {'dim': [2, 3], 'keepdim': True}
case('mean_hw', 'mean', lambda x: torch.mean(x, dim=(2, 3), keepdim=False), {'x': x4()})
cases['mean_hw']['kwargs'] = {'dim': [2, 3], 'keepdim': False}
case('mean_dhw_keep', 'mean', lambda x: torch.mean(x, dim=(2, 3, 4), keepdim=True), {'x': x5()})
cases['mean_dhw_keep']['kwargs'] = {'dim': [2, 3, 4], 'keepdim': True}
case('amax_hw_keep', 'amax', lambda x: torch.amax(x, dim=(2, 3), keepdim=True), {'x': x4()})
cases['amax_hw_keep']['kwargs'] = {'dim': [2, 3], 'keepdim': True}

# Padding.
case('pad_constant', 'pad', F.pad, {'x': x4()}, kwargs={'pad': [1, 2, 0, 3], 'mode': 'constant', 'value': 0.5})
case('pad_reflect', 'pad', F.pad, {'x': x4()}, kwargs={'pad': [2, 1, 3, 2], 'mode': 'reflect'})
case('pad_replicate', 'pad', F.pad, {'x': x4()}, kwargs={'pad': [2, 1, 3, 2], 'mode': 'replicate'})
case('pad_reflect_3d', 'pad', F.pad, {'x': x5()}, kwargs={'pad': [1, 1, 2, 1, 1, 2], 'mode': 'reflect'})
case('pad_replicate_3d', 'pad', F.pad, {'x': x5()}, kwargs={'pad': [1, 2, 1, 1, 2, 0], 'mode': 'replicate'})

# Resizing: PyTorch's modes, by scale and by size.
case('nearest_size_5to7', 'interpolate', F.interpolate, {'x': rand(1, 2, 5, 4)}, kwargs={'size': [7, 9], 'mode': 'nearest'})
case('nearest_scale3', 'interpolate', F.interpolate, {'x': rand(1, 2, 3, 4)}, kwargs={'scale_factor': 3.0, 'mode': 'nearest'})
case('bilinear_size_ac', 'interpolate', F.interpolate, {'x': rand(1, 2, 5, 4)}, kwargs={'size': [9, 7], 'mode': 'bilinear', 'align_corners': True})
case('bilinear_size', 'interpolate', F.interpolate, {'x': rand(1, 2, 5, 4)}, kwargs={'size': [9, 7], 'mode': 'bilinear', 'align_corners': False})
case('bilinear_down', 'interpolate', F.interpolate, {'x': rand(1, 2, 9, 8)}, kwargs={'size': [4, 3], 'mode': 'bilinear', 'align_corners': False})
case('bilinear_scale8', 'interpolate', F.interpolate, {'x': rand(1, 3, 2, 3)}, kwargs={'scale_factor': 8.0, 'mode': 'bilinear', 'align_corners': False})
case('trilinear_scale2', 'interpolate', F.interpolate, {'x': rand(1, 2, 3, 4, 3)}, kwargs={'scale_factor': 2.0, 'mode': 'trilinear', 'align_corners': False})
case('trilinear_size_ac', 'interpolate', F.interpolate, {'x': rand(1, 2, 3, 4, 3)}, kwargs={'size': [5, 6, 4], 'mode': 'trilinear', 'align_corners': True})
case('nearest_3d_scale2', 'interpolate', F.interpolate, {'x': rand(1, 2, 2, 3, 2)}, kwargs={'scale_factor': 2.0, 'mode': 'nearest'})

# Channel shuffle (ShuffleNetV2) and channel splits.
def channel_shuffle(x, groups):
    n, c, h, w = x.shape
    return x.view(n, groups, c // groups, h, w).transpose(1, 2).reshape(n, c, h, w)


case('channel_shuffle_2', 'channel_shuffle', channel_shuffle, {'x': rand(2, 8, 3, 4)}, kwargs={'groups': 2})
case('channel_shuffle_3', 'channel_shuffle', channel_shuffle, {'x': rand(1, 12, 3, 3)}, kwargs={'groups': 3})
case('chunk_2', 'chunk', lambda x: torch.chunk(x, 2, dim=1), {'x': rand(2, 8, 3, 4)}, outputs=2)
cases['chunk_2']['kwargs'] = {'chunks': 2, 'dim': 1}
case('split_3_5', 'split', lambda x: torch.split(x, [3, 5], dim=1), {'x': rand(1, 8, 3, 4)}, outputs=2)
cases['split_3_5']['kwargs'] = {'split_size_or_sections': [3, 5], 'dim': 1}

# Pools with ceil_mode, dilation, count_include_pad; global max pool; 3-D.
case('maxpool2d_k3_s2_ceil_dil2', 'max_pool2d', F.max_pool2d, {'x': rand(1, 3, 11, 10)}, kwargs={'kernel_size': 3, 'stride': 2, 'padding': 1, 'dilation': 2, 'ceil_mode': True})
case('avgpool2d_k3_s2_ceil_excl', 'avg_pool2d', F.avg_pool2d, {'x': rand(1, 3, 10, 9)}, kwargs={'kernel_size': 3, 'stride': 2, 'padding': 1, 'ceil_mode': True, 'count_include_pad': False})
case('avgpool2d_k2_s2_ceil_incl', 'avg_pool2d', F.avg_pool2d, {'x': rand(1, 3, 7, 9)}, kwargs={'kernel_size': 2, 'stride': 2, 'padding': 0, 'ceil_mode': True, 'count_include_pad': True})
case('maxpool3d_k3_s2_ceil', 'max_pool3d', F.max_pool3d, {'x': rand(1, 2, 5, 7, 6)}, kwargs={'kernel_size': 3, 'stride': 2, 'padding': 1, 'ceil_mode': True})
case('avgpool3d_k2_s2', 'avg_pool3d', F.avg_pool3d, {'x': rand(1, 2, 4, 6, 6)}, kwargs={'kernel_size': 2, 'stride': 2})
case('global_maxpool', 'adaptive_max_pool2d', F.adaptive_max_pool2d, {'x': x4()}, kwargs={'output_size': 1})
case('adaptive_avg_3d_1', 'adaptive_avg_pool3d', F.adaptive_avg_pool3d, {'x': x5()}, kwargs={'output_size': 1})

# Transposed convolution with output_padding, 2-D and 3-D; batch norm in 3-D.
case('convT2d_k3_s3_p1_op2', 'conv_transpose2d', F.conv_transpose2d, {'x': rand(1, 4, 3, 4)},
     {'weight': rand(4, 3, 3, 3, lo=-0.5, hi=0.5), 'bias': rand(3)}, kwargs={'stride': 3, 'padding': 1, 'output_padding': 2})
case('convT3d_k3_s2_p1_op1', 'conv_transpose3d', F.conv_transpose3d, {'x': rand(1, 3, 2, 3, 3)},
     {'weight': rand(3, 2, 3, 3, 3, lo=-0.5, hi=0.5), 'bias': rand(2)}, kwargs={'stride': 2, 'padding': 1, 'output_padding': 1})
case('batchnorm3d_eval', 'batch_norm', lambda x, running_mean, running_var, weight, bias: F.batch_norm(x, running_mean, running_var, weight, bias, False, 0.1, 1e-5),
     {'x': x5()}, {'running_mean': rand(4), 'running_var': rand(4, lo=0.2, hi=2), 'weight': rand(4), 'bias': rand(4)})

# Gemm / MatMul + Add as linear.
case('linear_nobias', 'linear', F.linear, {'x': rand(3, 10)}, {'weight': rand(4, 10, lo=-0.5, hi=0.5)})


def write_safetensors(path, named):
    header = {}
    blobs = []
    offset = 0
    for name in sorted(named):
        t = named[name]
        dtype = {torch.float32: 'F32', torch.float64: 'F64'}[t.dtype]
        data = t.numpy().astype('<f4' if dtype == 'F32' else '<f8').tobytes()
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header['__metadata__'] = {'producer': f'torch {torch.__version__}', 'script': 'scripts/export_op_cases.py'}
    raw = json.dumps(header, separators=(',', ':')).encode()
    raw += b' ' * ((8 - len(raw) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, 'cases.json'), 'w') as f:
    json.dump({'_meta': {'torch': torch.__version__, 'dtype': 'inputs float32, outputs float64'}, **cases}, f, indent=1)
    f.write('\n')
write_safetensors(os.path.join(OUT, 'ops.safetensors'), tensors)
print(f'{len(cases)} cases, {len(tensors)} tensors -> {os.path.relpath(OUT)}')
