package io.github.unet3p.core.volume.nifti;

import java.util.Optional;

import net.imglib2.type.BooleanType;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.LongType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedIntType;
import net.imglib2.type.numeric.integer.UnsignedLongType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The NIfTI-1 voxel datatypes this tool reads and writes, each with its header code, its size
 * and the ImgLib2 native type that holds it without conversion.
 *
 * <p>NB: besides the eight scalar types of the seed's data, int64 and uint64 are accepted because
 * nibabel writes int64 label images whenever a NumPy array of Python ints is saved as is.
 * Complex, RGB and 128-bit types are refused with their names.
 */
public enum NiftiDatatype {

	/** Code 2, unsigned 8-bit, {@link UnsignedByteType}. */
	UINT8(2, 1, "uint8", UnsignedByteType.class),
	/** Code 256, signed 8-bit, {@link ByteType}. */
	INT8(256, 1, "int8", ByteType.class),
	/** Code 4, signed 16-bit, {@link ShortType}. */
	INT16(4, 2, "int16", ShortType.class),
	/** Code 512, unsigned 16-bit, {@link UnsignedShortType}. */
	UINT16(512, 2, "uint16", UnsignedShortType.class),
	/** Code 8, signed 32-bit, {@link IntType}. */
	INT32(8, 4, "int32", IntType.class),
	/** Code 768, unsigned 32-bit, {@link UnsignedIntType}. */
	UINT32(768, 4, "uint32", UnsignedIntType.class),
	/** Code 1024, signed 64-bit, {@link LongType}. */
	INT64(1024, 8, "int64", LongType.class),
	/** Code 1280, unsigned 64-bit, {@link UnsignedLongType}. */
	UINT64(1280, 8, "uint64", UnsignedLongType.class),
	/** Code 16, IEEE float32, {@link FloatType}. */
	FLOAT32(16, 4, "float32", FloatType.class),
	/** Code 64, IEEE float64, {@link DoubleType}. */
	FLOAT64(64, 8, "float64", DoubleType.class);

	private final int code;
	private final int bytes;
	private final String label;
	private final Class<? extends NativeType<?>> typeClass;

	NiftiDatatype(final int code, final int bytes, final String label, final Class<? extends NativeType<?>> typeClass) {
		this.code = code;
		this.bytes = bytes;
		this.label = label;
		this.typeClass = typeClass;
	}

	/** The NIfTI-1 {@code datatype} code. */
	public int code() {
		return code;
	}

	/** The NIfTI-1 {@code bitpix} value (bits per voxel). */
	public int bitpix() {
		return 8 * bytes;
	}

	/** Bytes per voxel. */
	public int bytesPerVoxel() {
		return bytes;
	}

	/** The ImgLib2 native type class that stores this datatype exactly. */
	public Class<? extends NativeType<?>> typeClass() {
		return typeClass;
	}

	/** A new instance of the ImgLib2 native type (value 0). */
	public NativeType<?> newType() {
		switch (this) {
			case UINT8: return new UnsignedByteType();
			case INT8: return new ByteType();
			case INT16: return new ShortType();
			case UINT16: return new UnsignedShortType();
			case INT32: return new IntType();
			case UINT32: return new UnsignedIntType();
			case INT64: return new LongType();
			case UINT64: return new UnsignedLongType();
			case FLOAT32: return new FloatType();
			default: return new DoubleType();
		}
	}

	/** Whether values are floating point. */
	public boolean isFloatingPoint() {
		return this == FLOAT32 || this == FLOAT64;
	}

	/** The lowercase name used in messages ("int16"). */
	@Override
	public String toString() {
		return label;
	}

	/** The supported datatype with NIfTI code {@code code}, if any. */
	public static Optional<NiftiDatatype> ofCode(final int code) {
		for (final NiftiDatatype d : values())
			if (d.code == code) return Optional.of(d);
		return Optional.empty();
	}

	/**
	 * The datatype a voxel type is written as: its exact NIfTI counterpart for the ten native
	 * types above, uint8 for boolean types (0/1), float64 for any other real type.
	 */
	public static NiftiDatatype forType(final Object type) {
		for (final NiftiDatatype d : values())
			if (d.typeClass == type.getClass()) return d;
		if (type instanceof BooleanType) return UINT8;
		return FLOAT64;
	}

	/** A readable name for any NIfTI-1 datatype code, supported or not ("complex64", "RGB24"). */
	public static String describe(final int code) {
		final Optional<NiftiDatatype> d = ofCode(code);
		if (d.isPresent()) return d.get().label;
		switch (code) {
			case 0: return "unknown (0)";
			case 1: return "binary (1)";
			case 32: return "complex64 (32)";
			case 128: return "RGB24 (128)";
			case 1536: return "float128 (1536)";
			case 1792: return "complex128 (1792)";
			case 2048: return "complex256 (2048)";
			case 2304: return "RGBA32 (2304)";
			default: return "code " + code;
		}
	}

	/** The names of all supported datatypes, for messages. */
	static String supportedList() {
		final StringBuilder sb = new StringBuilder();
		for (final NiftiDatatype d : values())
			sb.append(sb.length() == 0 ? "" : ", ").append(d.label);
		return sb.toString();
	}
}
