#!/usr/bin/python3
"""Seed-parity harness for UNet3+ data preparation (SPEC 2.1).

  seed_parity.py generate DIR            write DIR/volume-0.nii + DIR/segmentation-0.nii (seeded, CT-like)
  seed_parity.py bigvolume DIR           write DIR/volume-1.nii, 512x512x200 int16 (throughput)
  seed_parity.py seed IN OUT SIZE        run the seed's pipeline (nibabel, np.rot90, cv2) on IN's volumes
  seed_parity.py compare PY JAVA         compare two images/ + mask/ folders pixel by pixel

Written for this project from the seed's documented semantics; run with Debian's /usr/bin/python3
(python3-nibabel, python3-opencv, python3-numpy).
"""
import glob
import os
import re
import struct
import sys
import time

import cv2
import nibabel as nib
import numpy as np

HU_MIN, HU_MAX = -200, 250
SLOPE, INTER = 0.75, -1024.5


def _patch_scaling(path, slope, inter):
    # NB: nibabel recomputes scl_slope/scl_inter on save; write them into the header ourselves.
    with open(path, 'r+b') as f:
        f.seek(112)
        f.write(struct.pack('<ff', slope, inter))


def _ct_like(shape, rng):
    I, J, K = shape
    i, j = np.meshgrid(np.arange(I), np.arange(J), indexing='ij')
    vol = np.full(shape, -1000.0)
    labels = np.zeros(shape, np.uint8)
    for k in range(K):
        body = ((i - I / 2) / (0.45 * I)) ** 2 + ((j - J / 2) / (0.42 * J)) ** 2 < 1
        liver = ((i - I * (0.38 + 0.01 * k)) / (0.18 * I)) ** 2 + ((j - J * 0.45) / (0.2 * J)) ** 2 < 1
        tumour = ((i - I * 0.36) / (0.05 * I)) ** 2 + ((j - J * 0.47) / (0.06 * J)) ** 2 < 1
        bone = ((i - I / 2) / (0.06 * I)) ** 2 + ((j - J * 0.8) / (0.06 * J)) ** 2 < 1
        s = np.where(body, 40.0, -1000.0)
        s[liver & body] = 60
        s[tumour & liver] = 20
        s[bone] = 700
        vol[:, :, k] = s + rng.normal(0, 25, (I, J))
        labels[:, :, k][liver & body] = 1
        labels[:, :, k][tumour & liver] = 2
    raw = np.clip(np.round((vol - INTER) / SLOPE), -32768, 32767).astype(np.int16)
    return raw, labels


def generate(out, shape=(96, 80, 7), seed=2024, with_labels=True, name='0'):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    raw, labels = _ct_like(shape, rng)
    affine = np.diag([0.8, 0.8, 2.5, 1.0])
    vpath = os.path.join(out, 'volume-%s.nii' % name)
    nib.save(nib.Nifti1Image(raw, affine), vpath)
    _patch_scaling(vpath, SLOPE, INTER)
    got = nib.load(vpath).get_fdata()
    assert np.allclose(got, raw * np.float64(np.float32(SLOPE)) + np.float64(np.float32(INTER))), 'scaling not applied'
    if with_labels:
        nib.save(nib.Nifti1Image(labels, affine), os.path.join(out, 'segmentation-%s.nii' % name))
    print('wrote', vpath, raw.shape, 'scl_slope', SLOPE, 'scl_inter', INTER)


def _resize(scan, size, method):
    # as the seed: resize the (H, W, K) stack in chunks of channels, cv2 dsize = (width, height)
    out = np.zeros((size, size, scan.shape[2]), dtype=scan.dtype)
    step = scan.shape[1]
    for start in range(0, scan.shape[2], step):
        end = min(start + step, scan.shape[2])
        r = cv2.resize(scan[:, :, start:end], dsize=(size, size), interpolation=method)
        out[:, :, start:end] = r.reshape(size, size, end - start)
    return out


def seed(inp, out, size):
    os.makedirs(os.path.join(out, 'images'), exist_ok=True)
    os.makedirs(os.path.join(out, 'mask'), exist_ok=True)
    slices = 0
    t0 = time.time()
    for vpath in sorted(glob.glob(os.path.join(inp, 'volume-*.nii*'))):
        n = re.match(r'volume-(\d+)\.nii', os.path.basename(vpath)).group(1)
        scan = np.rot90(np.array(nib.load(vpath).get_fdata()))
        scan = _resize(scan, size, cv2.INTER_CUBIC)
        scan = np.clip(scan, HU_MIN, HU_MAX)
        lo, hi = scan.min(axis=(0, 1)), scan.max(axis=(0, 1))
        scan = np.uint8((scan - lo) / (hi - lo) * 255)
        K = scan.shape[-1]
        for k in range(K):
            rgb = np.stack((scan[:, :, max(k - 1, 0)], scan[:, :, k], scan[:, :, min(k + 1, K - 1)]), axis=-1)
            cv2.imwrite(os.path.join(out, 'images', 'image_%s_%d.png' % (n, k)), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        slices += K
        spath = [p for p in glob.glob(os.path.join(inp, 'segmentation-%s.nii*' % n))]
        if spath:
            mask = np.rot90(np.array(nib.load(spath[0]).get_fdata()))
            mask = np.uint8(_resize(mask, size, cv2.INTER_NEAREST))
            mask[mask != 0] = 1
            for k in range(mask.shape[-1]):
                cv2.imwrite(os.path.join(out, 'mask', 'mask_%s_%d.png' % (n, k)), mask[:, :, k])
    dt = time.time() - t0
    print('seed pipeline: %d slices in %.2f s = %.1f slices/s' % (slices, dt, slices / dt))


def _stats(name, a, b):
    d = np.abs(a.astype(np.int32) - b.astype(np.int32))
    return '%s: %d pixels, identical %.6f, within 1 gray level %.6f, max |diff| %d' % (
        name, d.size, np.mean(d == 0), np.mean(d <= 1), d.max())


def compare(py, java):
    for kind in ('images', 'mask'):
        pf = sorted(os.listdir(os.path.join(py, kind)))
        jf = sorted(os.listdir(os.path.join(java, kind)))
        assert pf == jf, '%s: file names differ: %s vs %s' % (kind, set(pf) ^ set(jf))
        a = np.stack([cv2.imread(os.path.join(py, kind, f), cv2.IMREAD_UNCHANGED) for f in pf])
        b = np.stack([cv2.imread(os.path.join(java, kind, f), cv2.IMREAD_UNCHANGED) for f in jf])
        assert a.shape == b.shape, (a.shape, b.shape)
        print(_stats('%s (%d files)' % (kind, len(pf)), a, b))
    # the channel order as an RGB reader sees it: R = k-1, G = k, B = k+1 in both
    f = sorted(os.listdir(os.path.join(java, 'images')))
    for name in f:
        m = re.match(r'image_(\d+)_(\d+)\.png', name)
        n, k = m.group(1), int(m.group(2))
        rgb = cv2.cvtColor(cv2.imread(os.path.join(java, 'images', name)), cv2.COLOR_BGR2RGB)
        prev = os.path.join(java, 'images', 'image_%s_%d.png' % (n, k - 1))
        if os.path.exists(prev):
            green_prev = cv2.cvtColor(cv2.imread(prev), cv2.COLOR_BGR2RGB)[:, :, 1]
            assert np.array_equal(rgb[:, :, 0], green_prev), 'R of %s is not G of slice k-1' % name
    print('channel order: R of image_k equals G of image_k-1 in every file')


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'generate':
        generate(sys.argv[2])
    elif cmd == 'bigvolume':
        generate(sys.argv[2], shape=(512, 512, 200), seed=7, with_labels=True, name='1')
    elif cmd == 'seed':
        seed(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == 'compare':
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
