package dev.kos.examples.hello;

import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import java.time.Clock;

/** {@code HelloMain BOOTSTRAP REGISTRY_URL [COPIES] [COMMAND]}: runs the example against a kos cluster. */
public final class HelloMain {

  private HelloMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: HelloMain BOOTSTRAP REGISTRY_URL [COPIES=3] [COMMAND='echo hello from kos']"
          + " (kos up prints both addresses)");
      System.exit(2);
    }
    HelloFramework framework = new HelloFramework(args.length > 3 ? args[3] : "echo hello from kos",
        args.length > 2 ? Integer.parseInt(args[2]) : 3);
    ControlBus bus = new ControlBus(new BusSettings(args[0], args[1], TopicCatalog.defaults()));
    try (BusSchedulerDriver driver = new BusSchedulerDriver(bus, FrameworkSettings.of("hello", "*"), framework,
        Clock.systemUTC())) {
      driver.start();
      framework.finished().await();
      System.out.println("hello: all tasks finished");
    }
  }
}
