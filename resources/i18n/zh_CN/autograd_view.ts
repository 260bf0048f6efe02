<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AutogradView</name>
    <message>
        <source>{} nodes</source>
        <translation>{} 个节点</translation>
    </message>
    <message>
        <source>This input is used {} times: backward() adds up the gradient of each use.</source>
        <translation>这个输入被使用了 {} 次：backward() 会把每次使用的梯度加起来。</translation>
    </message>
</context>
</TS>
