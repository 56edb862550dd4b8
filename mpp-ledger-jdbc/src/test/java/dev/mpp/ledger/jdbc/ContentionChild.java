package dev.mpp.ledger.jdbc;

import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.testing.ContentionWorkload;
import java.util.concurrent.CountDownLatch;

/** A second process running {@link ContentionWorkload} against a shared durable store. */
final class ContentionChild {

  private ContentionChild() {}

  /** Child JVM entry: {@code <store spec> <prefix> <seed> <threads> <attempts>}. */
  public static void main(String[] args) throws Exception {
    try (LedgerStore store = StoreSpec.open(args[0])) {
      // start together with the parent, so that both processes really contend
      System.out.println("READY");
      System.out.flush();
      new java.io.BufferedReader(
              new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
          .readLine();
      // Tell the parent once this process has committed, so that a parent on a faster start
      // cannot fill the caps before the child took part (the test asserts both paid).
      CountDownLatch firstPaid = new CountDownLatch(1);
      Thread announcer =
          new Thread(
              () -> {
                try {
                  firstPaid.await();
                  System.out.println("FIRST");
                  System.out.flush();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      announcer.setDaemon(true);
      announcer.start();
      ContentionWorkload.Result result =
          ContentionWorkload.standard(args[1], Long.parseLong(args[2]))
              .run(store, Integer.parseInt(args[3]), Integer.parseInt(args[4]), firstPaid);
      System.out.println("RESULT " + result.paid() + " " + result.denied());
      for (String error : result.errors()) {
        System.out.println("ERROR " + error);
      }
      System.out.flush();
    }
    System.exit(0);
  }
}
