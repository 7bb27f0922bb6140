package io.github.unet3p.architecture;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the constant pool of compiled classes: the strings and the methods a class refers to. */
final class ClassFiles {

	/** A method a class calls (or takes a reference to): owner class, name and JVM descriptor. */
	record MethodRef(String owner, String name, String descriptor) {
		@Override
		public String toString() {
			return owner.replace('/', '.') + "." + name + descriptor;
		}
	}

	/** The parsed constant pool of one class file. */
	record ConstantPool(List<String> utf8, List<MethodRef> methods) {}

	private ClassFiles() {}

	/** Parses {@code classFile}'s constant pool. */
	static ConstantPool read(final Path classFile) throws IOException {
		final Map<Integer, String> utf8 = new HashMap<>();
		final Map<Integer, Integer> classNames = new HashMap<>();
		final Map<Integer, int[]> nameAndTypes = new HashMap<>();
		final List<int[]> refs = new ArrayList<>();
		try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
			if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file: " + classFile);
			in.readUnsignedShort();
			in.readUnsignedShort();
			final int count = in.readUnsignedShort();
			for (int i = 1; i < count; i++) {
				final int tag = in.readUnsignedByte();
				switch (tag) {
					case 1 -> utf8.put(i, in.readUTF());
					case 7 -> classNames.put(i, in.readUnsignedShort());
					case 10, 11 -> refs.add(new int[] { in.readUnsignedShort(), in.readUnsignedShort() });
					case 12 -> nameAndTypes.put(i, new int[] { in.readUnsignedShort(), in.readUnsignedShort() });
					case 8, 16, 19, 20 -> in.skipBytes(2);
					case 15 -> in.skipBytes(3);
					case 3, 4, 9, 17, 18 -> in.skipBytes(4);
					case 5, 6 -> {
						in.skipBytes(8);
						i++;
					}
					default -> throw new IOException("unknown constant tag " + tag + " in " + classFile);
				}
			}
		}
		final List<MethodRef> methods = new ArrayList<>();
		for (final int[] r : refs) {
			final int[] nt = nameAndTypes.get(r[1]);
			methods.add(new MethodRef(utf8.get(classNames.get(r[0])), utf8.get(nt[0]), utf8.get(nt[1])));
		}
		return new ConstantPool(new ArrayList<>(utf8.values()), methods);
	}
}
