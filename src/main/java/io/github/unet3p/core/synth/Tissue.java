package io.github.unet3p.core.synth;

/**
 * The tissues of the synthetic abdomen, each with the range its HU value is drawn from per case
 * and what painting it does to the liver label.
 */
enum Tissue {
	AIR(-1000, -1000),
	SUBCUTANEOUS_FAT(-115, -85),
	MUSCLE(40, 60),
	VISCERAL_FAT(-110, -80),
	BOWEL_WALL(35, 50),
	BOWEL_FLUID(0, 20),
	GAS(-1000, -1000),
	LUNG(-880, -820),
	LIVER(55, 70),
	HEPATIC_VESSEL(110, 160),
	TUMOUR(20, 30),
	/** NB: the spleen takes the liver's value of the case, not a draw of its own. */
	SPLEEN(55, 70),
	KIDNEY_CORTEX(110, 150),
	KIDNEY_MEDULLA(25, 40),
	IVC(90, 130),
	AORTA(150, 200),
	BONE_CORTEX(700, 1000),
	BONE_MARROW(200, 350),
	DISC(70, 100),
	CSF(0, 15),
	/** Outside the scanner's reconstruction circle: a constant padding value, no noise. */
	OUTSIDE_FOV(-1024, -1024);

	/** Tissue code of a voxel that no single tissue fills (a partial-volume edge). */
	static final byte MIXED = -1;

	final double minHu;
	final double maxHu;

	Tissue(final double minHu, final double maxHu) {
		this.minHu = minHu;
		this.maxHu = maxHu;
	}
}
