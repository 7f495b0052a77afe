package io.github.concurrencycourse.common.lesson;

/**
 * The sections of the seed tutorial, in the order the tutorial presents them.
 *
 * <p>Every lesson names the section it ports; {@code course tour} runs lessons in this order, so
 * the tour reads like the tutorial. The {@link #heading()} is the section's own (Chinese) title.
 */
public enum SeedSection {
  PROCESS_START_FUNCTION("开启并发进程 方式一", "start a process: function style"),
  PROCESS_START_SUBCLASS("开启并发进程 方式二", "start a process: subclass style"),
  PROCESS_ECHO_SERVER("socket通信多用户同时操作(多进程方式)", "a socket server, one process per client"),
  PROCESS_MUTEX("互斥锁", "a mutex between processes"),
  TICKET_RUSH("互斥锁模拟抢票流程", "the ticket rush under a mutex"),
  PRODUCER_CONSUMER("生产者消费者模型", "the producer-consumer model"),
  JOINABLE_QUEUE("作了解的JoinableQueue", "JoinableQueue"),
  THREAD_START_FUNCTION("线程 开启方式一", "start a thread: function style"),
  THREAD_START_SUBCLASS("线程 开启方式二", "start a thread: subclass style"),
  THREAD_ATTRIBUTES("线程的其他属性", "other thread attributes"),
  THREAD_MUTEX("线程的互斥锁", "the thread mutex"),
  DEADLOCK("死锁", "deadlock"),
  RECURSIVE_LOCK("递归锁", "the recursive lock"),
  SEMAPHORE("信号量", "the semaphore"),
  WITH_LOCK("加锁解锁的另一种写法", "another way to lock and unlock: with"),
  EVENT("Event", "Event"),
  TIMER("定时器实现20s更新验证码", "a timer that renews a captcha every 20 s"),
  THREAD_QUEUE("线程queue", "thread queues"),
  POOLS("进程池和线程池", "process pools and thread pools"),
  POOL_MAP("map 取代 for + submit", "map instead of for + submit"),
  CALLBACKS("同步/异步 回调", "synchronous, asynchronous and callbacks"),
  POOLED_ECHO_SERVER(
      "小练习:线程池方式实现socket并行并且限制并行数量", "exercise: a socket server on a bounded thread pool"),
  COROUTINES("协程", "coroutines"),
  IO_MODELS("IO模型", "IO models");

  private final String heading;
  private final String english;

  SeedSection(String heading, String english) {
    this.heading = heading;
    this.english = english;
  }

  /** The section's title as the seed writes it. */
  public String heading() {
    return heading;
  }

  /** An English rendering of the title. */
  public String english() {
    return english;
  }
}
