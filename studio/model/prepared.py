"""The keys under which a render finds the files an analysis pass prepared for it: PERSON /
FACES / SKIN / STICKER / SLOW + a clip's id for its person, face and skin masks, its
sticker layer and its picture with per-frame effects, DENOISED + a clip's id for its sound
with the noise taken out, YOURS for your side of a green-screen duet. Declared here, below
both: the analysis makes them, the render reads them, neither imports the other."""

from __future__ import annotations

PERSON = "person:"
FACES = "faces:"
SKIN = "skin:"
STICKER = "sticker:"
SLOW = "slow:"
DENOISED = "denoised:"
YOURS = "yours"
