# -*- coding: utf-8 -*-
# The seed's client (socket通信多用户同时操作 / 小练习, 客户端), unchanged but for two things:
# the port comes from the command line, and the end of the input ends the loop
# (the seed's input() raises EOFError there and dies with a traceback).
import socket
import sys

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('localhost', int(sys.argv[1])))
while True:
    try:
        cmd = input('>>:').strip()
    except EOFError:
        break
    if cmd:
        client.send(cmd.encode('utf-8'))
        res = client.recv(1024)
        print(res.decode('utf-8'))
client.close()
