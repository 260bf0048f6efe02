<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>TensorPanel</name>
    <message>
        <source>Tensors</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>A Python REPL with torch loaded, a variable list and a tensor inspector.</source>
        <translation>预载 torch 的 Python 交互环境、变量列表和张量检查器。</translation>
    </message>
</context>
</TS>
