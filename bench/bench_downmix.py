"""The 2026-11-28 downmix figures (docs/benchmarks.md): python bench/bench_downmix.py CHECKOUT prints
each lib26 5.1 file's level, correlation and mir-librosa-v2 cosine against its stereo copy, then a hash
of the 30 s excerpt of 40 stereo/mono files (diff two checkouts' outputs: no line may differ)."""
import sys
sys.path.insert(0, sys.argv[1])
import numpy as np
from recsys.encoders import media
from recsys.encoders.registry import get_encoder
L = "/tmp/lib26/lib/"
PAIRS = [
 ("Multichannel/Steely Dan - Aja (Quad) 5.1/01 - Aja.flac", "Qobuz/Steely Dan - Aja (1977) [24B-192kHz]/02. Aja.flac"),
 ("Multichannel/Steely Dan - Aja (Quad) 5.1/02 - Peg.flac", "Qobuz/Steely Dan - Aja (1977) [24B-192kHz]/04. Peg.flac"),
 ("Multichannel/Steely Dan - Gaucho (5.1) [24-96]/01 - Babylon Sisters.flac", "SACD/Steely Dan - Gaucho (2008 MFSL SACD) [DSD64]/01 - Babylon Sisters.dff"),
 ("Multichannel/Steely Dan - Gaucho (5.1) [24-96]/02 - Hey Nineteen.flac", "SACD/Steely Dan - Gaucho (2008 MFSL SACD) [DSD64]/02 - Hey Nineteen.dff"),
 ("Multichannel/Eagles - Hotel California (DTS 5.1 Music Disc)/01 - Hotel California.dts", "HDtracks/Eagles - Hotel California {24-bit 192kHz}/01 - Hotel California.flac"),
 ("Multichannel/Eagles - Hotel California (DTS 5.1 Music Disc)/02 - New Kid in Town.dts", "HDtracks/Eagles - Hotel California {24-bit 192kHz}/02 - New Kid in Town.flac"),
 ("Multichannel/Dire Straits - Brothers In Arms (DVD-A) AC3/01. So Far Away.ac3", "Qobuz/Dire Straits - Brothers In Arms (Remastered 1996) (1985) [24B-96kHz]/01. So Far Away (Remastered 1996).flac"),
 ("Multichannel/Dire Straits - Brothers In Arms (DVD-A) AC3/02. Money For Nothing.ac3", "Qobuz/Dire Straits - Brothers In Arms (Remastered 1996) (1985) [24B-96kHz]/02. Money For Nothing (Remastered 1996).flac"),
 ("Multichannel/Queen - A Night At The Opera (DTS-CD)/01 Bohemian Rhapsody.wav", None),
 ("Multichannel/Queen - A Night At The Opera (DTS-CD)/02 You're My Best Friend.wav", None),
]
enc = get_encoder("mir-librosa-v2")
def rms(y): return float(np.sqrt(np.mean(np.square(y.astype(np.float64)))))
for multi, stereo in PAIRS:
    import glob, os
    if stereo is None or not os.path.exists(L + stereo):
        print(f"{multi.rsplit('/',1)[-1]:32s} (no stereo copy found: {stereo})"); continue
    a = media.decode_input(enc, L + multi); b = media.decode_input(enc, L + stereo)
    n = min(a.size, b.size)
    c = float(np.corrcoef(a[:n], b[:n])[0, 1])
    va, vb = enc.encode([a, b])
    cos = float(np.dot(va, vb) / np.linalg.norm(va) / np.linalg.norm(vb))
    print(f"{multi.rsplit('/',1)[-1]:32s} level {20*np.log10(rms(a)/rms(b)):+6.2f} dB  corr {c:.3f}  cosine {cos:.4f}")

import hashlib
fs = sorted(f for ext in ("flac", "wav", "aiff", "m4a", "wv", "dsf", "mp3") for f in glob.glob(f"/tmp/lib26/lib/**/*.{ext}", recursive=True) if "Multichannel" not in f)
for f in fs[:40]:
    y = media.load_audio(f, sr=22050)
    print(hashlib.sha256(y.tobytes()).hexdigest()[:16], f[-40:])
