package dev.kos.bus.testing.architecture;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one compiled class refers to, read from its constant pool: the classes it names (in code, field and method
 * types, generic signatures and annotations) and the methods it calls. Enough for dependency rules, without a
 * bytecode library (ArchUnit is not in this build's offline repository; see {@link ArchitectureRules}).
 *
 * @param name the class's binary name, e.g. {@code dev.kos.allocator.core.Allocator$Round}
 * @param referencedClasses binary names of the classes it refers to, itself excluded
 * @param calledMethods methods it calls or refers to, as {@code owner#name descriptor} with binary names
 */
public record ClassFile(String name, Set<String> referencedClasses, Set<String> calledMethods) {

  private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

  /** The package of the class, e.g. {@code dev.kos.allocator.core}. */
  public String packageName() {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(0, dot);
  }

  /** The class's top-level class: nested and anonymous classes belong to the file that declares them. */
  public String topLevelName() {
    int dollar = name.indexOf('$');
    return dollar < 0 ? name : name.substring(0, dollar);
  }

  public static ClassFile parse(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNameIndex = new int[count];
    int[] refClass = new int[count];
    int[] refNameAndType = new int[count];
    int[] natName = new int[count];
    int[] natDescriptor = new int[count];
    Set<Integer> stringConstants = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case 7 -> classNameIndex[i] = in.readUnsignedShort();
        case 8 -> stringConstants.add(in.readUnsignedShort());
        case 9, 10, 11 -> {
          refClass[i] = in.readUnsignedShort();
          refNameAndType[i] = in.readUnsignedShort();
        }
        case 12 -> {
          natName[i] = in.readUnsignedShort();
          natDescriptor[i] = in.readUnsignedShort();
        }
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 16, 19, 20 -> in.readUnsignedShort();
        case 17, 18 -> {
          in.readUnsignedShort();
          in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
      }
    }
    in.readUnsignedShort();
    String self = binaryName(utf8[classNameIndex[in.readUnsignedShort()]]);

    Set<String> classes = new TreeSet<>();
    Set<String> methods = new TreeSet<>();
    for (int i = 1; i < count; i++) {
      if (classNameIndex[i] != 0) {
        String internal = utf8[classNameIndex[i]];
        if (internal.startsWith("[")) {
          addTypesIn(internal, classes);
        } else {
          classes.add(binaryName(internal));
        }
      }
      if (utf8[i] != null && !stringConstants.contains(i)) {
        addTypesIn(utf8[i], classes);
      }
      if (refClass[i] != 0) {
        String owner = binaryName(utf8[classNameIndex[refClass[i]]]);
        int nat = refNameAndType[i];
        methods.add(owner + "#" + utf8[natName[nat]] + " " + utf8[natDescriptor[nat]]);
      }
    }
    classes.remove(self);
    return new ClassFile(self, classes, methods);
  }

  private static void addTypesIn(String descriptorOrSignature, Set<String> into) {
    Matcher m = TYPE_IN_DESCRIPTOR.matcher(descriptorOrSignature);
    while (m.find()) {
      into.add(binaryName(m.group(1)));
    }
  }

  private static String binaryName(String internal) {
    return internal.replace('/', '.');
  }
}
