"""Export width-reduced torchvision CNNs to ONNX, with PyTorch float64 reference outputs.

Run from the repository root with Debian's own python3 (the system interpreter, not a
virtualenv's or pyenv's: Debian's torch 1.13, torchvision 0.14 and onnx 1.12 install there):

    apt-get install -y python3-torch python3-torchvision python3-onnx
    python3 scripts/export_torchvision.py            # every model
    python3 scripts/export_torchvision.py resnet18   # some of them (the manifest is merged)

It writes test/fixtures/torchvision/: per model `<name>.onnx` and `<name>.io.safetensors`
(`input` float32, `output` float64 from the same weights in float64, `output_f32` float32),
some variants of the same model (dynamic batch `N`, batch norm kept with PyTorch's parameter
names plus the `state_dict` as safetensors), and `manifest.json`. The test suite never runs
this script and needs neither Python nor torch: the files it writes are committed.

Everything is seeded: weights come from torchvision's constructors under a per-model seed,
then biases and batch-norm affine parameters are drawn at random, and the batch-norm running
statistics are measured on random data in training mode and then perturbed at random, so that
activations keep a sensible scale through deep networks while no statistic is 0 or 1.

Families whose widths torchvision fixes (AlexNet, VGG, ResNet, GoogLeNet, Inception v3,
SqueezeNet, the video and segmentation networks) are shrunk after construction: every
convolution, batch norm and linear layer is replaced in place by one with its channel counts
divided by a factor (3 input channels and the class count kept), so the module tree and the
state_dict names stay exactly torchvision's.
"""
import copy
import json
import os
import struct
import sys
import types
import zlib
from collections import Counter

import numpy as np
import onnx
import torch
import torchvision
from torch import nn
from torchvision import models as tvm
from torchvision.models import efficientnet as tv_efficientnet
from torchvision.models import regnet as tv_regnet
from torchvision.models import resnet as tv_resnet
from torchvision.models import vgg as tv_vgg
from torchvision.models.segmentation import deeplabv3 as tv_deeplab
from torchvision.models.segmentation import fcn as tv_fcn

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'torchvision')
NUM_CLASSES = 10
SEG_CLASSES = 5


# ---------------------------------------------------------------- width reduction

def shrink(model, divisor, keep=(3, NUM_CLASSES), overrides=None):
    """Replace every conv / batch norm / linear by one with channel counts divided by `divisor`.

    The new count of a layer depends only on the old one, so layers that meet (residual adds,
    concatenations whose parts are divisible, flatten -> linear) still fit; a forward pass
    after shrinking checks that. `overrides` maps an old count to a chosen new one.
    """
    overrides = overrides or {}

    def new_count(c):
        if c in overrides:
            return overrides[c]
        if c in keep:
            return c
        return max(1, c // divisor)

    for parent in list(model.modules()):
        for child_name, child in list(parent.named_children()):
            replacement = None
            if isinstance(child, (nn.Conv2d, nn.Conv3d)):
                cin, cout = new_count(child.in_channels), new_count(child.out_channels)
                if child.groups == 1:
                    groups = 1
                elif child.groups == child.in_channels:
                    groups = cin
                else:
                    groups = child.groups
                if cin % groups or cout % groups:
                    raise ValueError(f'{child_name}: {cin}->{cout} channels do not split into {groups} groups')
                conv_type = nn.Conv2d if isinstance(child, nn.Conv2d) else nn.Conv3d
                replacement = conv_type(cin, cout, child.kernel_size, child.stride, child.padding,
                                        child.dilation, groups, child.bias is not None, child.padding_mode)
            elif isinstance(child, (nn.BatchNorm2d, nn.BatchNorm3d)):
                replacement = type(child)(new_count(child.num_features), child.eps, child.momentum,
                                          child.affine, child.track_running_stats)
            elif isinstance(child, nn.Linear):
                replacement = nn.Linear(new_count(child.in_features), new_count(child.out_features),
                                        child.bias is not None)
            if replacement is not None:
                setattr(parent, child_name, replacement)
    return model


# ---------------------------------------------------------------- randomisation

def randomise(model, input_shape, seed):
    """Random biases and batch-norm parameters; running statistics measured, then perturbed."""
    gen = torch.Generator().manual_seed(seed + 1)

    def uniform(shape, lo, hi):
        return lo + (hi - lo) * torch.rand(shape, generator=gen)

    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Conv3d, nn.Linear)) and m.bias is not None:
                m.bias.copy_(uniform(m.bias.shape, -0.1, 0.1))
        for m in norms:
            m.weight.copy_(uniform(m.weight.shape, 0.6, 1.4))
            m.bias.copy_(uniform(m.bias.shape, -0.2, 0.2))
        if norms:
            for m in norms:
                m.reset_running_stats()
                m.momentum = None  # cumulative average over the calibration batches
            model.train()
            for _ in range(2):
                model(torch.randn((4,) + tuple(input_shape[1:]), generator=gen))
            for m in norms:
                m.momentum = 0.1
                # a channel that is (nearly) dead on the calibration data would divide by ~0
                m.running_var.clamp_(min=0.1 * float(m.running_var.mean()) + 1e-3)
                std = m.running_var.sqrt()
                m.running_mean.add_(uniform(m.running_mean.shape, -0.2, 0.2) * std)
                m.running_var.mul_(uniform(m.running_var.shape, 0.7, 1.4))
                m.num_batches_tracked.fill_(int(torch.randint(100, 10000, (1,), generator=gen)))
    model.eval()
    return model


def only_out(model):
    """Segmentation models return {'out': ...}; make forward return the tensor, names unchanged."""
    forward = type(model).forward
    model.forward = types.MethodType(lambda self, x: forward(self, x)['out'], model)
    return model


# ---------------------------------------------------------------- the models

def resnet_like(block, layers, divisor, **kw):
    return shrink(tv_resnet.ResNet(block, layers, num_classes=NUM_CLASSES, **kw), divisor)


def vgg11(batch_norm):
    model = tv_vgg.VGG(tv_vgg.make_layers(tv_vgg.cfgs['A'], batch_norm=batch_norm), num_classes=NUM_CLASSES)
    return shrink(model, 32, overrides={4096: 32})


def video(builder, divisor):
    return shrink(builder(num_classes=NUM_CLASSES), divisor)


def efficientnet_b0(width_mult):
    setting, last_channel = tv_efficientnet._efficientnet_conf('efficientnet_b0', width_mult=width_mult, depth_mult=1.0)
    return tv_efficientnet.EfficientNet(setting, 0.2, num_classes=NUM_CLASSES, last_channel=last_channel)


def regnet(**params):
    return tv_regnet.RegNet(tv_regnet.BlockParams.from_init_params(**params), num_classes=NUM_CLASSES, stem_width=16)


def segmentation_resnet(head, layers, divisor):
    backbone = tv_resnet.ResNet(tv_resnet.Bottleneck, layers, replace_stride_with_dilation=[False, True, True])
    model = head(backbone, SEG_CLASSES, False)
    return only_out(shrink(model, divisor, keep=(3, SEG_CLASSES)))


def lraspp():
    model = tvm.segmentation.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=SEG_CLASSES)
    return only_out(shrink(model, 16, keep=(3, SEG_CLASSES)))


C = NUM_CLASSES
# name, family, how it is built (recorded in the manifest), builder, input shape, opset
MODELS = [
    ('alexnet', 'AlexNet', 'torchvision.models.alexnet(num_classes=10), widths / 16, hidden 4096 -> 32',
     lambda: shrink(tvm.alexnet(num_classes=C), 16, overrides={4096: 32}), (1, 3, 224, 224), 11),
    ('vgg11', 'VGG', 'VGG(make_layers(cfgs["A"]), num_classes=10), widths / 32, hidden 4096 -> 32',
     lambda: vgg11(False), (1, 3, 224, 224), 17),
    ('vgg11_bn', 'VGG', 'VGG(make_layers(cfgs["A"], batch_norm=True), num_classes=10), widths / 32, hidden 4096 -> 32',
     lambda: vgg11(True), (1, 3, 224, 224), 17),
    ('resnet18', 'ResNet', 'ResNet(BasicBlock, [2, 2, 2, 2], num_classes=10), widths / 16',
     lambda: resnet_like(tv_resnet.BasicBlock, [2, 2, 2, 2], 16), (1, 3, 64, 64), 17),
    ('resnet50', 'ResNet', 'ResNet(Bottleneck, [3, 4, 6, 3], num_classes=10), widths / 16',
     lambda: resnet_like(tv_resnet.Bottleneck, [3, 4, 6, 3], 16), (1, 3, 64, 64), 17),
    ('resnext50', 'ResNeXt', 'ResNet(Bottleneck, [2, 2, 2, 2], groups=4, width_per_group=32, num_classes=10), widths / 16',
     lambda: resnet_like(tv_resnet.Bottleneck, [2, 2, 2, 2], 16, groups=4, width_per_group=32), (1, 3, 64, 64), 17),
    ('wide_resnet50_2', 'Wide ResNet', 'ResNet(Bottleneck, [1, 2, 2, 1], width_per_group=128, num_classes=10), widths / 32',
     lambda: resnet_like(tv_resnet.Bottleneck, [1, 2, 2, 1], 32, width_per_group=128), (1, 3, 64, 64), 17),
    ('densenet', 'DenseNet', 'DenseNet(growth_rate=4, block_config=(6, 12, 24, 16), num_init_features=8, bn_size=1, num_classes=10)',
     lambda: tvm.DenseNet(growth_rate=4, block_config=(6, 12, 24, 16), num_init_features=8, bn_size=1, num_classes=C),
     (1, 3, 64, 64), 17),
    ('squeezenet1_0', 'SqueezeNet', 'torchvision.models.squeezenet1_0(num_classes=10), widths / 8',
     lambda: shrink(tvm.squeezenet1_0(num_classes=C), 8), (1, 3, 64, 64), 11),
    ('squeezenet1_1', 'SqueezeNet', 'torchvision.models.squeezenet1_1(num_classes=10), widths / 8',
     lambda: shrink(tvm.squeezenet1_1(num_classes=C), 8), (1, 3, 64, 64), 13),
    ('googlenet', 'GoogLeNet', 'GoogLeNet(num_classes=10, aux_logits=False, transform_input=False, init_weights=True), widths / 16',
     lambda: shrink(tvm.GoogLeNet(num_classes=C, aux_logits=False, transform_input=False, init_weights=True), 16),
     (1, 3, 64, 64), 17),
    ('inception_v3', 'Inception v3', 'Inception3(num_classes=10, aux_logits=False, transform_input=True, init_weights=True), widths / 32',
     lambda: shrink(tvm.Inception3(num_classes=C, aux_logits=False, transform_input=True, init_weights=True), 32),
     (1, 3, 75, 75), 13),
    ('shufflenet_v2', 'ShuffleNetV2', 'ShuffleNetV2([4, 8, 4], [8, 16, 32, 64, 128], num_classes=10)',
     lambda: tvm.ShuffleNetV2([4, 8, 4], [8, 16, 32, 64, 128], num_classes=C), (1, 3, 64, 64), 11),
    ('mobilenet_v2', 'MobileNetV2', 'torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=10), widths / 4',
     lambda: shrink(tvm.mobilenet_v2(width_mult=0.25, num_classes=C), 4), (1, 3, 64, 64), 11),
    ('mobilenet_v3_small', 'MobileNetV3', 'torchvision.models.mobilenet_v3_small(width_mult=0.5, num_classes=10), widths / 4',
     lambda: shrink(tvm.mobilenet_v3_small(width_mult=0.5, num_classes=C), 4), (1, 3, 64, 64), 13),
    ('mobilenet_v3_large', 'MobileNetV3', 'torchvision.models.mobilenet_v3_large(width_mult=0.25, num_classes=10), widths / 4',
     lambda: shrink(tvm.mobilenet_v3_large(width_mult=0.25, num_classes=C), 4), (1, 3, 64, 64), 17),
    ('mnasnet', 'MnasNet', 'torchvision.models.MNASNet(alpha=0.25, num_classes=10), widths / 4',
     lambda: shrink(tvm.MNASNet(0.25, num_classes=C), 4), (1, 3, 64, 64), 17),
    ('efficientnet_b0', 'EfficientNet', 'EfficientNet(_efficientnet_conf("efficientnet_b0", width_mult=0.25, depth_mult=1.0), 0.2, num_classes=10), widths / 4',
     lambda: shrink(efficientnet_b0(0.25), 4), (1, 3, 64, 64), 17),
    ('regnet_x', 'RegNet', 'RegNet(BlockParams.from_init_params(depth=8, w_0=8, w_a=4.0, w_m=1.5, group_width=8), stem_width=16, num_classes=10)',
     lambda: regnet(depth=8, w_0=8, w_a=4.0, w_m=1.5, group_width=8), (1, 3, 64, 64), 13),
    ('regnet_y', 'RegNet', 'RegNet(BlockParams.from_init_params(depth=8, w_0=8, w_a=4.0, w_m=1.5, group_width=8, se_ratio=0.25), stem_width=16, num_classes=10)',
     lambda: regnet(depth=8, w_0=8, w_a=4.0, w_m=1.5, group_width=8, se_ratio=0.25), (1, 3, 64, 64), 17),
    ('fcn_resnet50', 'FCN', 'fcn._fcn_resnet(ResNet(Bottleneck, [1, 2, 2, 1], replace_stride_with_dilation=[False, True, True]), 5, aux=False), widths / 32, output "out"',
     lambda: segmentation_resnet(tv_fcn._fcn_resnet, [1, 2, 2, 1], 32), (1, 3, 48, 48), 11),
    ('deeplabv3_resnet50', 'DeepLabV3', 'deeplabv3._deeplabv3_resnet(ResNet(Bottleneck, [1, 2, 2, 1], replace_stride_with_dilation=[False, True, True]), 5, aux=False), widths / 32, output "out"',
     lambda: segmentation_resnet(tv_deeplab._deeplabv3_resnet, [1, 2, 2, 1], 32), (1, 3, 48, 48), 13),
    ('lraspp_mobilenet_v3_large', 'LR-ASPP', 'segmentation.lraspp_mobilenet_v3_large(num_classes=5), widths / 16, output "out"',
     lraspp, (1, 3, 48, 48), 17),
    ('r3d_18', 'Video ResNet', 'torchvision.models.video.r3d_18(num_classes=10), widths / 24',
     lambda: video(tvm.video.r3d_18, 24), (1, 3, 8, 32, 32), 17),
    ('mc3_18', 'Video ResNet', 'torchvision.models.video.mc3_18(num_classes=10), widths / 16',
     lambda: video(tvm.video.mc3_18, 16), (1, 3, 8, 32, 32), 17),
    ('r2plus1d_18', 'Video ResNet', 'torchvision.models.video.r2plus1d_18(num_classes=10), widths / 24',
     lambda: video(tvm.video.r2plus1d_18, 24), (1, 3, 8, 32, 32), 17),
]

# Variants exported from the same model and weights (they share its io file).
DYNAMIC_BATCH = ('resnet18', 'mobilenet_v2')
KEEP_BATCHNORM = ('resnet18', 'mobilenet_v2', 'densenet')


# ---------------------------------------------------------------- files

def write_safetensors(path, tensors):
    """tensors: list of (name, numpy array); float32/float64/int64 little-endian."""
    dtypes = {np.dtype('float32'): 'F32', np.dtype('float64'): 'F64', np.dtype('int64'): 'I64'}
    header, blobs, offset = {}, [], 0
    for name, array in tensors:
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder('<'), copy=False).tobytes()
        header[name] = {'dtype': dtypes[array.dtype], 'shape': list(array.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def rel_l2(a, b):
    return float(torch.linalg.norm((a.double() - b).flatten()) / torch.linalg.norm(b.flatten()))


def graph_facts(path):
    graph = onnx.load(path).graph
    ops = Counter(n.op_type if n.domain in ('', 'ai.onnx') else f'{n.domain}.{n.op_type}' for n in graph.node)
    dims = [[d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]
            for i in graph.input if i.name not in {t.name for t in graph.initializer}]
    return dict(sorted(ops.items())), dims, {t.name for t in graph.initializer}


def export(model, x, path, opset, **flags):
    torch.onnx.export(model, x, path, opset_version=opset, input_names=['input'], output_names=['output'], **flags)


def make(entry):
    name, family, construction, build, input_shape, opset = entry
    seed = zlib.crc32(name.encode())
    torch.manual_seed(seed)
    model = randomise(build(), input_shape, seed)
    x = torch.randn(input_shape, generator=torch.Generator().manual_seed(seed + 2))
    with torch.no_grad():
        out32 = model(x)
        model64 = copy.deepcopy(model).double()
        out64 = model64(x.double())
    params = sum(p.numel() for p in model.parameters())
    common = {
        'family': family, 'construction': construction, 'io': f'{name}.io.safetensors',
        'input_shape': list(input_shape), 'output_shape': list(out64.shape), 'opset': opset,
        'params': params, 'float32_vs_float64_rel_l2': rel_l2(out32, out64),
    }
    write_safetensors(os.path.join(OUT_DIR, common['io']), [
        ('input', x.numpy()), ('output', out64.numpy()), ('output_f32', out32.numpy())])

    entries = []
    variants = [(name, {}, {'do_constant_folding': True, 'training': 'EVAL', 'dynamic_axes': None})]
    if name in DYNAMIC_BATCH:
        axes = {'input': {0: 'N'}, 'output': {0: 'N'}}
        variants.append((f'{name}_dynamic', {'dynamic_axes': axes},
                         {'do_constant_folding': True, 'training': 'EVAL', 'dynamic_axes': axes}))
    if name in KEEP_BATCHNORM:
        variants.append((f'{name}_bn', {'do_constant_folding': False, 'training': torch.onnx.TrainingMode.PRESERVE},
                         {'do_constant_folding': False, 'training': 'PRESERVE', 'dynamic_axes': None}))
    for file_name, flags, recorded in variants:
        onnx_path = os.path.join(OUT_DIR, f'{file_name}.onnx')
        export(model, x, onnx_path, opset, **flags)
        ops, dims, initializers = graph_facts(onnx_path)
        item = {'name': file_name, 'onnx': f'{file_name}.onnx', **common, 'export': recorded,
                'onnx_input_dims': dims, 'op_types': ops}
        if file_name != name:
            item['variant_of'] = name
        if recorded['training'] == 'PRESERVE':
            state = model.state_dict()
            missing = sorted(k for k, v in state.items() if v.is_floating_point() and k not in initializers)
            if missing:
                raise RuntimeError(f'{file_name}: state_dict names not kept as initializers: {missing[:5]}')
            item['state_dict'] = f'{name}.state_dict.safetensors'
            write_safetensors(os.path.join(OUT_DIR, item['state_dict']),
                              [(k, v.detach().numpy()) for k, v in state.items()])
        entries.append(item)
    return entries


def main(argv):
    os.makedirs(OUT_DIR, exist_ok=True)
    wanted = set(argv)
    unknown = wanted - {m[0] for m in MODELS}
    if unknown:
        sys.exit(f'unknown model(s): {", ".join(sorted(unknown))}')
    manifest_path = os.path.join(OUT_DIR, 'manifest.json')
    previous = {}
    if wanted and os.path.exists(manifest_path):
        with open(manifest_path) as f:
            previous = {m['name']: m for m in json.load(f)['models']}
    entries = []
    for entry in MODELS:
        if wanted and entry[0] not in wanted:
            entries.extend(m for m in previous.values() if (m.get('variant_of') or m['name']) == entry[0])
            continue
        made = make(entry)
        for m in made:
            size = os.path.getsize(os.path.join(OUT_DIR, m['onnx']))
            print(f"{m['name']:28} opset {m['opset']:2}  params {m['params']:7}  onnx {size / 1024:7.1f} KB  "
                  f"f32 err {m['float32_vs_float64_rel_l2']:.1e}", flush=True)
        entries.extend(made)
    manifest = {
        'generator': 'scripts/export_torchvision.py',
        'torch': torch.__version__, 'torchvision': torchvision.__version__, 'onnx': onnx.__version__,
        'tolerance': 'relative L2 to output (float64): max(1e-5, 3 * float32_vs_float64_rel_l2)',
        'models': entries,
    }
    with open(manifest_path, 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])
