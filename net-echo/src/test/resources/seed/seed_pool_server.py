# -*- coding: utf-8 -*-
# The seed's server of 小练习:线程池方式实现socket并行并且限制并行数量, unchanged but for the port,
# which comes from the command line. It never ends by itself: the test kills it.
# Its talk() keeps the seed's bug: after a client's EOF, recv returns b'' for ever and the loop spins.
import socket
import sys
# from threading import Thread
from concurrent.futures import ThreadPoolExecutor


def talk(conn):
    while 1:
        try:
            data = conn.recv(1024)
            conn.send(data.upper())
        except ConnectionResetError:
            print('客户端端开...')
            break
    conn.close()


def server_xxx(ip, port):
    server1 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server1.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server1.bind((ip, port))
    server1.listen(2)
    print('服务器已经启动....')
    while True:
        conn, addr = server1.accept()

        print('有客户端连接上来了....')
        pool.submit(talk, conn)

    server1.close()


if __name__ == '__main__':
    pool = ThreadPoolExecutor(3)
    server_xxx('localhost', int(sys.argv[1]))
