package io.github.unet3p.core.volume.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.github.unet3p.core.volume.VolumeGeometry;

/**
 * The 348-byte NIfTI-1 header of one image: an immutable value that keeps every byte of the
 * header as read (converted to little-endian) and gives typed access to the fields that matter
 * here. Derived headers ({@link #withDatatype}, {@link #withScaling}, {@link #withDimensions}, …)
 * change only the named fields, so a label volume can be written with every other field of its
 * CT's header preserved.
 *
 * <p>Geometry follows nibabel exactly: {@link #affine()} is the sform when {@code sform_code} is
 * non-zero, else the qform when {@code qform_code} is non-zero, else nibabel's fall-back affine
 * from the dimensions and pixdim; spatial pixdim values are read as nibabel fixes them on load
 * (absolute value, 0 becomes 1).
 */
public final class NiftiHeader {

	/** Size of the NIfTI-1 header in bytes ({@code sizeof_hdr}). */
	public static final int SIZE = 348;
	/** Where this tool's files put the voxels: header plus the 4-byte extension flag. */
	public static final int DATA_OFFSET = 352;

	static final int OFF_DIM = 40, OFF_INTENT_P1 = 56, OFF_INTENT_CODE = 68, OFF_DATATYPE = 70, OFF_BITPIX = 72,
			OFF_PIXDIM = 76, OFF_VOX_OFFSET = 108, OFF_SCL_SLOPE = 112, OFF_SCL_INTER = 116, OFF_XYZT_UNITS = 123,
			OFF_CAL_MAX = 124, OFF_CAL_MIN = 128, OFF_DESCRIP = 148, OFF_QFORM_CODE = 252, OFF_SFORM_CODE = 254,
			OFF_QUATERN_B = 256, OFF_QOFFSET_X = 268, OFF_SROW_X = 280, OFF_INTENT_NAME = 328, OFF_MAGIC = 344;
	private static final int DESCRIP_LENGTH = 80, INTENT_NAME_LENGTH = 16;

	private final byte[] le;
	private final ByteOrder order;

	NiftiHeader(final byte[] littleEndian, final ByteOrder order) {
		this.le = littleEndian;
		this.order = order;
	}

	/**
	 * A fresh header for a 3-D volume of {@code dims} voxels of {@code type} placed by
	 * {@code geometry}: the sform is the affine (code 1, scanner), the qform is the same affine
	 * as a rotation, the spacing and a sign (qfac) (code 1), pixdim[1..3] the spacing, units mm,
	 * no scaling.
	 *
	 * <p>NB: NIfTI stores the affine in float32, so an affine with more precision than float32
	 * reads back rounded; affines read from NIfTI files always round-trip exactly. If the affine's
	 * 3×3 part is singular the qform is left unset (code 0).
	 */
	public static NiftiHeader create(final long[] dims, final NiftiDatatype type, final VolumeGeometry geometry) {
		final ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(0, SIZE);
		b.put(38, (byte) 'r');
		b.putFloat(OFF_SCL_SLOPE, 1);
		b.put(OFF_MAGIC, (byte) 'n').put(OFF_MAGIC + 1, (byte) '+').put(OFF_MAGIC + 2, (byte) '1');
		b.put(OFF_XYZT_UNITS, (byte) 2);
		final double[] spacing = geometry.spacing();
		final double[][] a = geometry.affine();
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				b.putFloat(OFF_SROW_X + 16 * r + 4 * c, (float) a[r][c]);
		b.putShort(OFF_SFORM_CODE, (short) 1);
		b.putFloat(OFF_PIXDIM, 1);
		for (int d = 0; d < 3; d++)
			b.putFloat(OFF_PIXDIM + 4 * (d + 1), (float) spacing[d]);
		final double[] q = Quaternions.fromAffine(a);
		if (q != null) {
			b.putShort(OFF_QFORM_CODE, (short) 1);
			b.putFloat(OFF_PIXDIM, (float) q[3]);
			for (int d = 0; d < 3; d++) {
				b.putFloat(OFF_QUATERN_B + 4 * d, (float) q[d]);
				b.putFloat(OFF_QOFFSET_X + 4 * d, (float) a[d][3]);
			}
		}
		b.putFloat(OFF_VOX_OFFSET, DATA_OFFSET);
		return new NiftiHeader(b.array(), ByteOrder.LITTLE_ENDIAN).withDimensions(dims).withDatatype(type);
	}

	// ---- derivations -------------------------------------------------------------------------

	private NiftiHeader with(final java.util.function.Consumer<ByteBuffer> change) {
		final byte[] copy = le.clone();
		change.accept(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN));
		return new NiftiHeader(copy, order);
	}

	/** This header with {@code datatype} and {@code bitpix} set for {@code type}. */
	public NiftiHeader withDatatype(final NiftiDatatype type) {
		return with(b -> b.putShort(OFF_DATATYPE, (short) type.code()).putShort(OFF_BITPIX, (short) type.bitpix()));
	}

	/**
	 * This header with {@code scl_slope} and {@code scl_inter} set (value = slope · stored + inter).
	 * A slope of 1 and intercept of 0 mean no scaling.
	 */
	public NiftiHeader withScaling(final double slope, final double intercept) {
		return with(b -> b.putFloat(OFF_SCL_SLOPE, (float) slope).putFloat(OFF_SCL_INTER, (float) intercept));
	}

	/**
	 * This header describing a 3-D grid of {@code dims} = (I, J, K) voxels: dim[0] = 3,
	 * dim[4..7] = 1. Spacing, affine and units are unchanged.
	 *
	 * @throws IllegalArgumentException if a size is not in 1..32767 (NIfTI-1 stores int16 sizes)
	 */
	public NiftiHeader withDimensions(final long... dims) {
		if (dims.length != 3) throw new IllegalArgumentException("3 sizes needed, got " + dims.length);
		for (final long d : dims)
			if (d < 1 || d > Short.MAX_VALUE)
				throw new IllegalArgumentException("NIfTI-1 sizes must be in 1..32767: " + Arrays.toString(dims));
		return with(b -> {
			b.putShort(OFF_DIM, (short) 3);
			for (int d = 1; d <= 7; d++)
				b.putShort(OFF_DIM + 2 * d, (short) (d <= 3 ? dims[d - 1] : 1));
		});
	}

	/** This header with the display range {@code cal_min}, {@code cal_max} (0, 0 = unset). */
	public NiftiHeader withDisplayRange(final double calMin, final double calMax) {
		return with(b -> b.putFloat(OFF_CAL_MIN, (float) calMin).putFloat(OFF_CAL_MAX, (float) calMax));
	}

	/** This header with {@code descrip} set to {@code text}, cut to 79 ASCII bytes. */
	public NiftiHeader withDescription(final String text) {
		final byte[] t = text.getBytes(StandardCharsets.US_ASCII);
		return with(b -> {
			for (int i = 0; i < DESCRIP_LENGTH; i++)
				b.put(OFF_DESCRIP + i, i < Math.min(t.length, DESCRIP_LENGTH - 1) ? t[i] : 0);
		});
	}

	/** This header as this tool writes it: sizeof_hdr 348, magic "n+1", vox_offset 352. */
	NiftiHeader forSingleFile() {
		return with(b -> {
			b.putInt(0, SIZE);
			b.putFloat(OFF_VOX_OFFSET, DATA_OFFSET);
			b.put(OFF_MAGIC, (byte) 'n').put(OFF_MAGIC + 1, (byte) '+').put(OFF_MAGIC + 2, (byte) '1').put(OFF_MAGIC + 3, (byte) 0);
		});
	}

	// ---- raw fields ----------------------------------------------------------------------------

	private ByteBuffer buf() {
		return ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
	}

	/** The byte order of the file this header was read from (little-endian for created headers). */
	public ByteOrder byteOrder() {
		return order;
	}

	/** The 348 header bytes, little-endian (a copy). */
	public byte[] bytes() {
		return le.clone();
	}

	/** The 348 header bytes in {@link #byteOrder()}, as they were in the file (a copy). */
	public byte[] originalBytes() {
		final byte[] b = le.clone();
		if (order == ByteOrder.BIG_ENDIAN) NiftiHeaderParser.swapNumericFields(b);
		return b;
	}

	/** {@code dim[d]}, d in 0..7 ({@code dim[0]} is the number of dimensions). */
	public int dim(final int d) {
		return buf().getShort(OFF_DIM + 2 * d);
	}

	/** The NIfTI {@code datatype} code as stored. */
	public int datatypeCode() {
		return buf().getShort(OFF_DATATYPE);
	}

	/**
	 * The voxel datatype.
	 *
	 * @throws IllegalStateException if the code is not a supported type (headers from
	 *             {@link NiftiReader} are always supported)
	 */
	public NiftiDatatype datatype() {
		return NiftiDatatype.ofCode(datatypeCode())
				.orElseThrow(() -> new IllegalStateException("unsupported datatype " + NiftiDatatype.describe(datatypeCode())));
	}

	/** {@code bitpix} as stored. */
	public int bitpix() {
		return buf().getShort(OFF_BITPIX);
	}

	/** {@code pixdim[d]} as stored, d in 0..7 ({@code pixdim[0]} is qfac). */
	public double pixdim(final int d) {
		return buf().getFloat(OFF_PIXDIM + 4 * d);
	}

	/** {@code vox_offset} as stored. */
	public double voxOffset() {
		return buf().getFloat(OFF_VOX_OFFSET);
	}

	/** {@code scl_slope} as stored. */
	public double sclSlope() {
		return buf().getFloat(OFF_SCL_SLOPE);
	}

	/** {@code scl_inter} as stored. */
	public double sclInter() {
		return buf().getFloat(OFF_SCL_INTER);
	}

	/** Whether values are scaled: {@code scl_slope} is finite and non-zero (nibabel's rule). */
	public boolean hasScaling() {
		final double s = sclSlope();
		return s != 0 && Double.isFinite(s);
	}

	/** The slope to apply: {@code scl_slope}, or 1 when {@link #hasScaling()} is false. */
	public double slope() {
		return hasScaling() ? sclSlope() : 1;
	}

	/** The intercept to apply: {@code scl_inter}, or 0 when {@link #hasScaling()} is false. */
	public double intercept() {
		return hasScaling() ? sclInter() : 0;
	}

	/** {@code qform_code}. */
	public int qformCode() {
		return buf().getShort(OFF_QFORM_CODE);
	}

	/** {@code sform_code}. */
	public int sformCode() {
		return buf().getShort(OFF_SFORM_CODE);
	}

	/** {@code quatern_b}, {@code quatern_c}, {@code quatern_d}. */
	public double[] quaternion() {
		final ByteBuffer b = buf();
		return new double[] { b.getFloat(OFF_QUATERN_B), b.getFloat(OFF_QUATERN_B + 4), b.getFloat(OFF_QUATERN_B + 8) };
	}

	/** {@code qoffset_x}, {@code qoffset_y}, {@code qoffset_z}. */
	public double[] qoffset() {
		final ByteBuffer b = buf();
		return new double[] { b.getFloat(OFF_QOFFSET_X), b.getFloat(OFF_QOFFSET_X + 4), b.getFloat(OFF_QOFFSET_X + 8) };
	}

	/** Row {@code r} of the sform: {@code srow_x} (0), {@code srow_y} (1) or {@code srow_z} (2). */
	public double[] srow(final int r) {
		final ByteBuffer b = buf();
		final double[] row = new double[4];
		for (int c = 0; c < 4; c++)
			row[c] = b.getFloat(OFF_SROW_X + 16 * r + 4 * c);
		return row;
	}

	/** {@code xyzt_units} (spatial unit code in bits 0–2: 1 m, 2 mm, 3 µm). */
	public int xyztUnits() {
		return le[OFF_XYZT_UNITS] & 0xff;
	}

	/** {@code cal_min}. */
	public double calMin() {
		return buf().getFloat(OFF_CAL_MIN);
	}

	/** {@code cal_max}. */
	public double calMax() {
		return buf().getFloat(OFF_CAL_MAX);
	}

	/** {@code descrip}, up to its first NUL. */
	public String description() {
		return text(OFF_DESCRIP, DESCRIP_LENGTH);
	}

	/** {@code intent_code}. */
	public int intentCode() {
		return buf().getShort(OFF_INTENT_CODE);
	}

	/** {@code intent_p1}, {@code intent_p2}, {@code intent_p3}. */
	public double[] intentParameters() {
		final ByteBuffer b = buf();
		return new double[] { b.getFloat(OFF_INTENT_P1), b.getFloat(OFF_INTENT_P1 + 4), b.getFloat(OFF_INTENT_P1 + 8) };
	}

	/** {@code intent_name}, up to its first NUL. */
	public String intentName() {
		return text(OFF_INTENT_NAME, INTENT_NAME_LENGTH);
	}

	// ---- derived geometry ----------------------------------------------------------------------

	/** The grid size (I, J, K) of the 3-D volume; axes beyond {@code dim[0]} have size 1. */
	public long[] volumeDimensions() {
		final int n = dim(0);
		return new long[] { dim(1), n >= 2 ? dim(2) : 1, n >= 3 ? dim(3) : 1 };
	}

	/** Number of voxels of the 3-D volume (I·J·K). */
	public long voxelCount() {
		final long[] d = volumeDimensions();
		return d[0] * d[1] * d[2];
	}

	/**
	 * Voxel sizes along i, j, k: |pixdim[1..3]|, with 0 read as 1 (nibabel's fix on load) and axes
	 * beyond {@code dim[0]} given 1.
	 */
	public double[] spacing() {
		final double[] z = new double[3];
		for (int d = 0; d < 3; d++)
			z[d] = d < dim(0) ? fixedPixdim(d + 1) : 1;
		return z;
	}

	/** |pixdim[d]| with 0 read as 1, as nibabel fixes it on load. */
	double fixedPixdim(final int d) {
		final double p = Math.abs(pixdim(d));
		return p == 0 ? 1 : p;
	}

	/**
	 * The voxel-to-world affine as nibabel's {@code get_best_affine} computes it: the sform if
	 * {@code sform_code} ≠ 0, else the qform if {@code qform_code} ≠ 0, else nibabel's fall-back
	 * (pixdim scaling with i flipped, centred on the middle voxel).
	 *
	 * <p>NB: like nibabel, a non-zero code counts (not only a positive one), and the qform uses
	 * the fixed pixdim (absolute, 0 → 1) and qfac = −1 only when pixdim[0] is −1.
	 */
	public double[][] affine() {
		if (sformCode() != 0) return sformAffine();
		if (qformCode() != 0) return qformAffine();
		return NiftiAffines.fallback(this);
	}

	/** The sform as a 4×4 matrix, whatever {@code sform_code} says. */
	public double[][] sformAffine() {
		return new double[][] { srow(0), srow(1), srow(2), { 0, 0, 0, 1 } };
	}

	/**
	 * The qform as a 4×4 matrix, whatever {@code qform_code} says.
	 *
	 * @throws IllegalStateException if b² + c² + d² exceeds 1 beyond float32 rounding
	 */
	public double[][] qformAffine() {
		return NiftiAffines.qform(this);
	}

	/** Spacing and affine as a {@link VolumeGeometry}. */
	public VolumeGeometry geometry() {
		return new VolumeGeometry(spacing(), affine());
	}

	/** The sizes dim[1] × … × dim[dim[0]], for messages. */
	String sizes() {
		final StringBuilder sb = new StringBuilder();
		for (int d = 1; d <= Math.max(1, Math.min(7, dim(0))); d++)
			sb.append(d == 1 ? "" : "×").append(dim(d));
		return sb.toString();
	}

	// ---- helpers -------------------------------------------------------------------------------

	private String text(final int offset, final int length) {
		int end = offset;
		while (end < offset + length && le[end] != 0)
			end++;
		return new String(le, offset, end - offset, StandardCharsets.ISO_8859_1);
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof NiftiHeader && Arrays.equals(le, ((NiftiHeader) o).le);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(le);
	}

	@Override
	public String toString() {
		return "NiftiHeader[dims=" + sizes() + ", datatype=" + NiftiDatatype.describe(datatypeCode()) + ", spacing="
				+ Arrays.toString(new double[] { pixdim(1), pixdim(2), pixdim(3) }) + ", sform_code=" + sformCode()
				+ ", qform_code=" + qformCode() + ", order=" + order + "]";
	}
}
